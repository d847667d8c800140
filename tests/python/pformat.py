"""Lays out change-log member trees as Python's pprint does, for the differential suite.

Reads a JSON list of trees (objects, one-element lists, strings) on stdin and writes a JSON
list of their `pprint.pformat` layouts (width 80, keys sorted). Strings are never split
across lines (pprint splits long ones; the change log, as the AWS feeds, keeps a type or an
enum's values whole), so the string rule is taken out of pprint's dispatch table.
"""

import json
import pprint
import sys


class WholeStrings(pprint.PrettyPrinter):
    _dispatch = {k: v for k, v in pprint.PrettyPrinter._dispatch.items() if k is not str.__repr__}


def main():
    trees = json.load(sys.stdin)
    printer = WholeStrings(width=80)
    json.dump([printer.pformat(t) for t in trees], sys.stdout)


if __name__ == "__main__":
    main()
