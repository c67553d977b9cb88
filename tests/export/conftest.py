import pytest

from tests.export.tiny import ParserExport, export_tiny_parser


@pytest.fixture(scope="session")
def parser_export(tmp_path_factory: pytest.TempPathFactory) -> ParserExport:
    return export_tiny_parser(tmp_path_factory.getbasetemp() / "tiny_parser")

