"""`review`: the aftermath's review (复盘) of one campaign."""

from __future__ import annotations

import click

from planner.cli.options import (
    format_option,
    lang_option,
    open_workspace,
    today_option,
    workspace_option,
    year_option,
)


@click.command(name="review")
@year_option
@workspace_option
@lang_option
@format_option()
@today_option
def review_command(year, workspace, lang, fmt, today):
    """Review a campaign: the checklist by phase and owner, what was late, the complaints,
    and the year before for comparison.

    活动复盘：按阶段和负责人统计检查项、列出逾期完成的事项、投诉情况，并与上一年对比。

    \b
    Example / 示例:
      planner315 review --year 2027
      planner315 review --format markdown > 复盘.md
    """
    from planner.core.i18n import t
    from planner.present.review import review_as_markdown, review_as_table, review_data
    from planner.present.text import to_json

    ws = open_workspace(workspace=workspace, lang=lang, year=year, today=today,
                        need_workspace=True, need_size=True)
    review = ws.review()
    if fmt == "json":
        click.echo(to_json(review_data(review)))
        return
    if not ws.has_state():
        click.echo(t("status.nothing-recorded", ws.lang, year=ws.year))
    render = review_as_markdown if fmt == "markdown" else review_as_table
    click.echo(render(review, ws.policy, ws.lang))
