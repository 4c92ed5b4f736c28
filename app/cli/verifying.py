"""What the `verify` commands share: a range of Beijing days to narrow the walk to, and a
progress bar drawn on stderr when it is a terminal (never into piped output)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

import click


def day_range(what: str) -> Callable:
    """--since / --until options (YYYY-MM-DD, Beijing days, --until inclusive) for `what`."""
    def decorate(command: Callable) -> Callable:
        command = click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                               help=f"Check only the {what} created up to this Beijing day, inclusive "
                                    "(YYYY-MM-DD).")(command)
        return click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                            help=f"Check only the {what} created from this Beijing day on (YYYY-MM-DD).")(command)
    return decorate


def days(since: datetime | None, until: datetime | None) -> tuple[date | None, date | None]:
    if since and until and since > until:
        raise click.BadParameter("--since is after --until", param_hint="--since")
    return (since.date() if since else None), (until.date() if until else None)


def drawn_on_a_terminal(workload: Callable[[], int]) -> int:
    """The bar's length, or 0 when stderr is not a terminal (the workload is then not asked)."""
    return workload() if sys.stderr.isatty() else 0


@contextmanager
def progress_bar(length: int) -> Iterator[Callable[[int], None]]:
    """A bar on stderr when it is a terminal (length > 0); otherwise nothing is drawn."""
    if not length:
        yield lambda _done: None
        return
    with click.progressbar(length=length, label="verifying", file=sys.stderr) as bar:
        yield bar.update


def echo_each(problems: Iterator[str]) -> int:
    """Print each discrepancy as it is found; how many there were."""
    found = 0
    for problem in problems:
        click.echo(problem)
        found += 1
    return found


def conclude(found: int) -> None:
    """With any discrepancy, say how many on stderr and exit 1 (after the bar is closed)."""
    if found:
        click.echo(f"{found} discrepancies", err=True)
        sys.exit(1)
