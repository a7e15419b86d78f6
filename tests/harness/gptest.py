"""gptest - the integration-test conventions of tests/run-tests.

Each test prints "PASS: name", "FAIL: name" (followed by the details,
indented) or "SKIP: name: why", and the program exits non-zero when
anything failed.

    t = Suite()
    with t.case("inbound accepts anonymous mail"):
        ...                 # raise AssertionError (or HarnessError) to fail
    sys.exit(t.finish())
"""

import contextlib
import os
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))


def top():
    """The repository root (GP_TOP, else two levels above this file)."""
    return os.environ.get("GP_TOP") or os.path.dirname(os.path.dirname(HERE))


def build():
    """The build directory (GP_BUILD, else TOP/build)."""
    return os.environ.get("GP_BUILD") or os.path.join(top(), "build")


class Skip(Exception):
    """Raise inside a case to report SKIP with the message as reason."""


class Suite:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def _out(self, line):
        print(line, flush=True)

    def pass_(self, name):
        self.passed += 1
        self._out("PASS: " + name)

    def fail(self, name, detail=""):
        self.failed += 1
        self._out("FAIL: " + name)
        if detail:
            self._out("    " + str(detail).rstrip().replace("\n", "\n    "))

    def skip(self, name, why):
        self.skipped += 1
        self._out("SKIP: %s: %s" % (name, why))

    @contextlib.contextmanager
    def case(self, name):
        """One named check; AssertionError fails it, Skip (or the
        harness's HarnessSkip) skips it, anything else fails it with a
        traceback.  KeyboardInterrupt and SystemExit propagate."""
        try:
            yield
        except (KeyboardInterrupt, SystemExit):
            self.fail(name, "interrupted")
            raise
        except AssertionError as e:
            self.fail(name, e)
        except Exception as e:
            if type(e).__name__ in ("Skip", "HarnessSkip"):
                self.skip(name, e)
            else:
                self.fail(name, traceback.format_exc())
        else:
            self.pass_(name)

    def finish(self):
        """Print a summary; return the exit status (1 if anything
        failed)."""
        self._out("%d passed, %d failed, %d skipped"
                  % (self.passed, self.failed, self.skipped))
        return 1 if self.failed else 0


def check(cond, msg):
    """assert that survives python -O."""
    if not cond:
        raise AssertionError(msg)
