"""Catalogs for unit tests of the recovery rules, with no API behind them."""


class EmptyCatalog:
    """The catalog calls ``recovery.remap`` makes, answered with no location and no port of note."""

    @staticmethod
    def locations(_kind):
        return {}

    @staticmethod
    def port(_port_id):
        return None
