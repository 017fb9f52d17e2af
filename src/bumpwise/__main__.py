"""``python -m bumpwise``: the same command line as the ``bumpwise`` script."""

from bumpwise.cli import main

if __name__ == "__main__":
    main()
