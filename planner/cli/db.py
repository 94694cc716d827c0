"""`planner315 db`: which database holds the workspace's state, and moving it."""

from __future__ import annotations

import click

from planner.cli.options import (
    BilingualGroup,
    format_option,
    group_lang_option,
    lang_option,
    open_workspace,
    workspace_option,
)


@click.group(name="db", cls=BilingualGroup)
@group_lang_option
def db_group():
    """The state database: where it is, and moving it to a shared PostgreSQL server.

    状态数据库：查看所在位置，或迁移到共享的 PostgreSQL 服务器。

    \b
    Example / 示例:
      planner315 db info
    """


@db_group.command(name="info")
@workspace_option
@lang_option
@format_option(("table", "json"))
def db_info(workspace, lang, fmt):
    """Which backend and database hold the state, its schema version and row counts.

    显示状态所在的后端和数据库、结构版本和各表行数（不显示密码）。

    \b
    Example / 示例:
      planner315 db info
      planner315 db info --format json
    """
    from planner.present.database import info_data, info_text
    from planner.present.text import to_json
    from planner.workspace.shared import database_info

    ws = open_workspace(workspace=workspace, lang=lang, need_workspace=True)
    info = database_info(ws)
    click.echo(to_json(info_data(info)) if fmt == "json" else info_text(info, ws.lang))


@db_group.command(name="copy")
@click.option("--to", "to_url", metavar="URL", default=None,
              help="Copy the SQLite state into this PostgreSQL database / 把 SQLite 状态复制到该 "
                   "PostgreSQL 数据库.")
@click.option("--from", "from_url", metavar="URL", default=None,
              help="Copy this shop's state from this PostgreSQL database into the SQLite file / "
                   "把该数据库中本店的状态复制回 SQLite 文件.")
@click.option("--replace", is_flag=True,
              help="Replace what the target already holds of this shop / 覆盖目标中本店已有的状态.")
@workspace_option
@lang_option
def db_copy(to_url, from_url, replace, workspace, lang):
    """Copy the whole state (every year, the history, the counters) between the workspace's
    SQLite file and PostgreSQL, checking row counts and the history's checksum.

    在工作区的 SQLite 文件和 PostgreSQL 之间复制全部状态（各年度、历史、单号计数），
    并核对行数和历史校验和。

    \b
    Example / 示例:
      planner315 db copy --to postgresql://localhost/team315
      planner315 db copy --from postgresql://localhost/team315 --replace
    """
    from planner.core.i18n import t
    from planner.present.database import copied_text
    from planner.workspace.shared import copy_from_shared, copy_to_shared
    from planner.workspace.shop import checked_url

    ws = open_workspace(workspace=workspace, lang=lang, need_workspace=True)
    if (to_url is None) == (from_url is None):  # a usage error, as Click's own (exit 2)
        raise click.UsageError(t("error.db-copy-direction", ws.lang))
    if to_url:
        copied = copy_to_shared(ws, checked_url(to_url, field="--to"), replace)
    else:
        copied = copy_from_shared(ws, checked_url(from_url, field="--from"), replace)
    click.echo(copied_text(copied, to_url or from_url, to_url is not None, ws.lang))
