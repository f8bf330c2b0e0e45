"""The department in a member's nickname, by the seed rules' naming rule 部门+姓名:
"销售部-张三", "销售部—张三", "行政人事部-张某某", "人资中心张静", "安徽商会金融服务部张三".

A separator (-, —, –, －, _, ·, |, 丨, /; a space after Chinese) splits the nickname: the part
before it is the department. Without one, a name that ends in a unit word (部, 中心, 科, 处,
室, 组 …) followed by a two- to three-character personal name is split there. Anything else (just a
name, or an English name) has no department. A chat may set its own regular expression.
"""

from __future__ import annotations

import functools
import re

_SEPARATED = re.compile(r"^\s*(?P<dept>[^-—–－_·|丨/\s]+?)\s*(?P<sep>[-—–－_·|丨/\s]+)\s*\S")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNITS = r"(?:部门|事业部|分公司|公司|中心|部|科|处|室|组|办|站|队)"
# A two-character personal name is tried first:
# 人事部门王芳 is 人事部门 + 王芳, not 人事部 + 门王芳.
_UNIT_NAMES = tuple(
    re.compile(rf"^(?P<dept>[\u4e00-\u9fff]{{1,12}}?{_UNITS})[\u4e00-\u9fff]{{{n}}}$")
    for n in (2, 3)
)


@functools.lru_cache(maxsize=4096)
def department_of(name: str, pattern: str | None = None) -> str | None:
    if not name:
        return None
    if pattern is not None:
        match = re.search(pattern, name)
        dept = match.group("dept") if match else None
        return dept.strip() or None if dept else None
    match = _SEPARATED.match(name)
    if match and (match.group("sep").strip() or _CJK.search(match.group("dept"))):
        return match.group("dept")  # a bare space splits Chinese names only ("John Smith")
    for unit_name in _UNIT_NAMES:
        match = unit_name.match(name.strip())
        if match:
            return match.group("dept")
    return None
