"""One module per page; each reads its state from the URL."""
