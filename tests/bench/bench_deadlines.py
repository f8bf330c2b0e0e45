"""Micro-benchmark of the deadline reader: time per call and accuracy on the unit-test cases.

Run: .venv/bin/python -m tests.bench.bench_deadlines [--messages 3000] [--rounds 5]

Messages are built from realistic work-chat parts with a fixed seed: half carry no time words
(goal: mean < 50 µs), half carry one deadline phrase (goal: mean < 500 µs). Accuracy is the share
of cases in the tables of tests/unit/test_deadlines_*.py that read as expected.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time

from tests.unit import (
    test_deadlines_clocks,
    test_deadlines_dates,
    test_deadlines_markers,
    test_deadlines_none,
    test_deadlines_relative,
)
from tests.unit.deadline_cases import NOWS, Case, reading_of
from tracker.domain.deadlines.reader import read_deadline

WHO = ["", "@zhangsan ", "@lisi2025 ", "请大家", "各位同事，", "@wangwu @zhaoliu ", "张经理，"]
PLAIN = [
    "把周报发给我",
    "注意一下客户的反馈",
    "这个方案再改一下，重点突出成本",
    "订单号20261124已经发货，请跟进物流",
    "报销12500元已经审批通过",
    "到3号会议室拿一下资料",
    "新版本v2.3.15有问题，尽快排查",
    "收到请回复",
    "客户电话13812345678，回个电话",
    "第3季度的数据整理一下发群里",
    "资料在 https://example.com/share/2026/q3 ，大家看一下",
    "好的，辛苦了",
    "地铁1号线停运，大家注意安排出行",
    "5楼501的空调坏了，找物业报修",
    "毛利率提高了6%，继续保持",
]
TIMES = [
    "今天下班前",
    "明天上午10点前",
    "周五前",
    "三点半之前",
    "半小时内",
    "月底前",
    "12/1前",
    "下午3点到3号会议室开会，",
    "今晚12点前",
    "两点一刻",
    "下下周三",
    "3个工作日内",
    "二〇二六年十二月十日前",
    "本周内",
    "年底前",
    "ddl 周四，",
    "截止到本周五下午五点",
    "最晚明早八点",
    "不晚于11月30日",
]


def messages(count: int, timed: bool, seed: int = 5) -> list[str]:
    rnd = random.Random(seed)
    built = []
    for _ in range(count):
        when = rnd.choice(TIMES) if timed else ""
        built.append(f"{rnd.choice(WHO)}{when}{rnd.choice(PLAIN)}")
    return built


def timings(texts: list[str], rounds: int) -> list[float]:
    """Microseconds of every call over `rounds` passes, after one warm-up pass, without GC."""
    now = NOWS["tue"]
    for text in texts:
        read_deadline(text, now)
    spent = []
    gc.disable()
    try:
        for _ in range(rounds):
            for text in texts:
                start = time.perf_counter_ns()
                read_deadline(text, now)
                spent.append((time.perf_counter_ns() - start) / 1000)
    finally:
        gc.enable()
    return spent


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def case_tables() -> dict[str, list[Case]]:
    modules = (
        test_deadlines_markers,
        test_deadlines_clocks,
        test_deadlines_relative,
        test_deadlines_dates,
        test_deadlines_none,
    )
    tables: dict[str, list[Case]] = {}
    for module in modules:
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, list) and value and isinstance(value[0], Case):
                tables[name.lower()] = value
    return tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"deadline reader, Python {sys.version.split()[0]}, {args.messages} messages per kind")
    print(f"{'messages':<20}{'mean µs':>10}{'p99 µs':>10}{'goal µs':>10}")
    for label, timed, goal in (("no time words", False, 50), ("with time words", True, 500)):
        spent = timings(messages(args.messages, timed), args.rounds)
        print(f"{label:<20}{statistics.fmean(spent):>10.1f}{p99(spent):>10.1f}{goal:>10}")
    print(f"\n{'case table':<20}{'passed':>10}{'total':>10}")
    passed = total = 0
    for name, cases in case_tables().items():
        ok = sum(reading_of(case) == case.expected for case in cases)
        passed, total = passed + ok, total + len(cases)
        print(f"{name:<20}{ok:>10}{len(cases):>10}")
    print(f"{'accuracy':<20}{passed:>10}{total:>10}  ({100 * passed / total:.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
