"""The download API: datasets as files, formats, OpenAPI and the data package."""
