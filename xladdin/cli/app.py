"""The ``xladdin`` command group, and the one place that maps errors to exit codes.

Exit codes (contract §5): 0 success, 1 input the officer must fix, 2 usage error.  No
traceback reaches the user: an unexpected failure prints one Vietnamese line and the
path of a log file holding the details.
"""

from __future__ import annotations

import sys
import traceback

import click

from ..errors import XladdinError, exit_code
from . import vietnamese

vietnamese.install()  # before the commands are declared: their help texts are translated then

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="xladdin", message="xladdin %(version)s")
def app() -> None:
    """Công cụ lập kế hoạch, phân bổ chỉ tiêu, tạo biểu mẫu và tổng hợp báo cáo
    dân số – KHHGĐ trên Excel.

    Planning, target splitting, report forms and consolidation for Excel.
    """


def echo_error(message: str) -> None:
    click.echo(f"Lỗi: {message}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script calls ``sys.exit`` on it)."""
    from . import commands  # noqa: F401  (registers the commands on `app`)

    vietnamese.name_placeholders(app)

    try:
        result = app.main(args=argv, prog_name="xladdin", standalone_mode=False)
    except click.exceptions.UsageError as error:
        error.show()
        return 2
    except click.exceptions.Abort:
        echo_error("đã dừng theo yêu cầu.")
        return 1
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except XladdinError as error:
        echo_error(str(error))
        return exit_code(error)
    except KeyboardInterrupt:
        echo_error("đã dừng theo yêu cầu.")
        return 1
    except Exception:  # a bug of ours; the officer still gets one readable line
        from ..crash import crash_log

        log = crash_log(traceback.format_exc())
        echo_error(
            "lỗi không mong đợi của chương trình"
            + (f"; chi tiết đã ghi vào {log}." if log else ".")
        )
        return 1
    return result if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())
