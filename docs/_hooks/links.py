"""MkDocs hook: links to shipped rubric files point at their gallery pages on the site.

Pages written for reading in the repository link rubric files directly
(``../rubrics/NAME.yaml``); the site has no such file, but every shipped rubric has a
gallery page that shows its full source under "The rubric".
"""

from __future__ import annotations

import re
from typing import Any

_RUBRIC_LINK = re.compile(r"\]\((?:\.\./)+rubrics/([a-z0-9][a-z0-9-]*)\.yaml\)")


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Rewrite ``](../rubrics/NAME.yaml)`` to the rubric's gallery page."""
    prefix = "../" * page.file.src_uri.count("/")
    return _RUBRIC_LINK.sub(lambda m: f"]({prefix}gallery/{m.group(1)}.md#the-rubric)", markdown)
