"""The 2005 demo event, loaded by `manage.py load_demo`: the workshop and its people (`workshop`), sample worksheets (`worksheets`), sample evaluations and a knowledge check (`evaluation`)."""
