"""Page parts shared by several pages: tables, charts, forms and text."""
