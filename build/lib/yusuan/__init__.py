"""yusuan, the application: the pipeline's steps (pipeline.py), the warehouse, the CLI,
settings, pulling sources, alerts and the Airflow runner.

It drives the two layers below it: `extract` reads a PDF into rows, `expectations` holds
the gates. The DAG (dags/yusuan_load.py) calls the steps of `yusuan.pipeline`.
"""
