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

_SEPARATED = re.compile(
    r"^\s*(?P<dept>[^-—–－_·|丨/\s]+?)\s*(?P<sep>[-—–－_·|丨/\s]+)\s*(?P<rest>\S.*)$"
)
# What follows a name rather than a department: 张三-请假中, 李四-出差, 王五-在忙
_STATUS = re.compile(r"(?:中|请假|休假|出差|外出|在忙|忙|离职|已离职|不在|勿扰)[\s)）]*$")
_LATIN_NAME = re.compile(r"[A-Za-z]+", re.ASCII)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNITS = r"(?:部门|事业部|分公司|公司|中心|部|科|处|室|组|办|站|队)"
# A two-character personal name is tried first:
# 人事部门王芳 is 人事部门 + 王芳, not 人事部 + 门王芳.
_UNIT_NAMES = tuple(
    # the name does not start with 长 (组长, 处长: a title, not a name)
    re.compile(rf"^(?P<dept>[\u4e00-\u9fff]{{1,12}}?{_UNITS})(?!长)[\u4e00-\u9fff]{{{n}}}$")
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
    if match and _splits(match["dept"], match["sep"], match["rest"]):
        return match.group("dept")
    for unit_name in _UNIT_NAMES:
        match = unit_name.match(name.strip())
        if match:
            return match.group("dept")
    return None


def _splits(dept: str, sep: str, rest: str) -> bool:
    """Whether "dept sep rest" is department + name, not name + status ("张三-请假中"), a
    Latin name ("Amy_Wang", "John Smith") or a spaced-out name ("张 三")."""
    if _STATUS.search(rest):
        return False
    if _LATIN_NAME.fullmatch(dept) and _LATIN_NAME.fullmatch(rest.split()[0]):
        return sep.strip() not in ("", "_", "·")  # Sales-Tom still reads as a department
    if not sep.strip() and not _CJK.search(dept):
        return False
    return not (len(dept) == 1 and _CJK.fullmatch(dept))
