"""Ship trained students as ONNX, TFLite and Core ML files, quantized, checked against PyTorch, in a bundle.

`export.formats.FORMATS` is the one table of formats; `export.validate.validate` is the parity check the tests call;
`export.bundle.write_bundle` writes the bundle that `edge_app.bundle.load_bundle` reads.
"""
