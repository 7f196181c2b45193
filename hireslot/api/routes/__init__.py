"""The API's operations, by what they are about; each is thin: look up, call a service or a
selector, shape the answer (``api.shapes``)."""
