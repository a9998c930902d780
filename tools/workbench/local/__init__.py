"""Local stand-ins for AWS: the local server, the demo, API events, the build check."""
