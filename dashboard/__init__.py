"""The public site: a Dash Pages app that reads only what metrics/ returns."""
