import pytest

from thematic import errors
from thematic.errors import Errors, ThematicError


def test_templates_carry_their_code():
    assert Errors.T001.startswith("[T001] ")
    assert "{path}" in Errors.T001


def test_every_error_is_a_thematic_error_and_a_builtin():
    for name in dir(errors):
        obj = getattr(errors, name)
        if (isinstance(obj, type) and issubclass(obj, Exception) and not issubclass(obj, Warning)
                and obj is not ThematicError):
            if obj.__module__ == "thematic.errors":
                assert issubclass(obj, ThematicError), name


def test_error_keeps_path_and_line():
    err = errors.IngestError("msg", path="a.txt", line=3)
    assert (err.path, err.line) == ("a.txt", 3)
    with pytest.raises(ValueError):
        raise err


def test_not_found_message_is_not_quoted():
    assert str(errors.NotFoundError("plain")) == "plain"
