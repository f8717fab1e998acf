"""``python -m ember``: the same command line as the ``ember`` binary (train, evaluate, predict, info)."""

import sys


def main(argv=None):
    from ._ember import _cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    sys.stdout.flush()
    return _cli_main(["ember"] + args)


if __name__ == "__main__":
    sys.exit(main())
