"""The workbench: everything around the service that does not ship in it.

Rule authors' tools (``authoring``: read, check, compile, test and release the rule files),
the ``screening`` command, and the developers' local stand-ins for AWS (``local``: the local
server, the demo, the API event builders, the build check). None of it is in the Lambda
artifact: ``functions/`` holds runtime code only.
"""
