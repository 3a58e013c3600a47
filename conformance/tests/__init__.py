"""The conformance suite a user runs against a backend, shipped inside the package.

    pytest --pyargs conformance.tests --backend mypkg.mymod:backend -n auto

Each test takes the `backend` fixture of conformance.pytest_plugin (registered as a pytest11
entry point) and draws only what the backend declares.
"""
