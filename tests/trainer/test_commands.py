import json

from tools.cli import main


def test_data_text_writes_the_asked_number_of_valid_rows(tmp_path, capsys):
    out = tmp_path / "corpus" / "text.jsonl"
    assert main(["data", "text", "-n", "50", "--seed", "3", "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 50 and all(set(r) == {"text", "frame"} for r in rows)
    assert "wrote 50 utterances" in capsys.readouterr().out


def test_train_with_a_bad_teacher_is_one_line(tmp_path, capsys):
    assert main(["train", "parser", "teacher=gpt5", "corpus_size=10", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown teacher 'gpt5'" in err and err.count("\n") == 1


def test_train_on_a_broken_data_file_names_the_line(tmp_path, capsys):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"text": "red", "frame": {"intent": "modify", "color": "red"}}\n{"text": "x", "frame": {"color": '
                    '"rouge"}}\n', encoding="utf-8")
    assert main(["train", "parser", f"data={data}", "--out", str(tmp_path / "run")]) == 2
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


def test_bad_config_keys_and_values_get_one_line_naming_them(tmp_path, capsys):
    cases = {"gan.l11=3": "unknown config key 'gan.l11'", "loop.epochs=two": "'loop.epochs' must be int",
             "loop.precision=fp8": "precision must be one of", "pairs": "'pairs' is not a key=value",
             "loop=3": "'loop' is a group", "seed.x=1": "'seed' has no sub-keys"}
    for override, message in cases.items():
        assert main(["train", "generator", "--stage", "teacher", override, "--out", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, (override, err)
    assert not any(tmp_path.iterdir())  # refused before anything was written


def test_yaml_file_then_overrides_resolve_and_read_back(tmp_path, capsys):
    import yaml

    config = tmp_path / "small.yaml"
    config.write_text("pairs: 64\nloop:\n  epochs: 2\n  lr: 1e-3\ngan.l1: 5\nteacher:\n  channels: [32, 16, 8, 8]\n")
    args = ["train", "generator", "--stage", "teacher", "--config", str(config), "loop.epochs=3", "--max-steps", "5"]
    assert main([*args, "--show-config"]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)
    assert shown["pairs"] == 64 and shown["loop"]["epochs"] == 3 and shown["loop"]["lr"] == 0.001
    assert shown["gan"]["l1"] == 5.0 and shown["teacher"]["channels"] == [32, 16, 8, 8]
    assert shown["loop"]["max_steps"] == 5 and shown["seed"] == 0
    (tmp_path / "resolved.yaml").write_text(yaml.safe_dump(shown))
    assert main(["train", "generator", "--stage", "teacher", "--config", str(tmp_path / "resolved.yaml"),
                 "--show-config"]) == 0
    assert yaml.safe_load(capsys.readouterr().out) == shown


def test_a_missing_or_broken_config_file_is_one_line(tmp_path, capsys):
    assert main(["train", "parser", "--config", str(tmp_path / "nope.yaml"), "--show-config"]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    assert main(["train", "parser", "--config", str(tmp_path / "list.yaml"), "--show-config"]) == 2
    assert "must hold a mapping" in capsys.readouterr().err


def test_overrides_may_come_before_and_after_options(capsys):
    import yaml

    assert main(["train", "generator", "pairs=8", "classifier_pairs=8", "--stage", "teacher", "loop.epochs=2",
                 "--show-config"]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)
    assert shown["pairs"] == 8 and shown["loop"]["epochs"] == 2
