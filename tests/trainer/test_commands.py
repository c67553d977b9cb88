import json

from tools.cli import main


def test_data_text_writes_the_asked_number_of_valid_rows(tmp_path, capsys):
    out = tmp_path / "corpus" / "text.jsonl"
    assert main(["data", "text", "-n", "50", "--seed", "3", "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 50 and all(set(r) == {"text", "frame"} for r in rows)
    assert "wrote 50 utterances" in capsys.readouterr().out


def test_train_with_a_bad_teacher_is_one_line(tmp_path, capsys):
    assert main(["train", "parser", "--teacher", "gpt5", "--corpus-size", "10", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown teacher 'gpt5'" in err and err.count("\n") == 1


def test_train_on_a_broken_data_file_names_the_line(tmp_path, capsys):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"text": "red", "frame": {"intent": "modify", "color": "red"}}\n{"text": "x", "frame": {"color": '
                    '"rouge"}}\n', encoding="utf-8")
    assert main(["train", "parser", "--data", str(data), "--out", str(tmp_path / "run")]) == 2
    assert f"{data}:2" in capsys.readouterr().err


def test_data_garments_writes_png_and_json_pairs(tmp_path, capsys):
    from PIL import Image

    out = tmp_path / "sprites"
    assert main(["data", "garments", "-n", "3", "--size", "64x48", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir())[:2] == ["00000.json", "00000.png"]
    assert Image.open(out / "00002.png").size == (48, 64)
    assert json.loads((out / "00001.json").read_text())["garment"]["category"]


def test_data_garments_refuses_a_bad_size(tmp_path, capsys):
    assert main(["data", "garments", "-n", "1", "--size", "100x100", "-o", str(tmp_path)]) == 2
    assert "4:3" in capsys.readouterr().err
