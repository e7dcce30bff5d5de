# The image of docker-compose.yml's Airflow services: the official Airflow image (the
# version requirements.lock pins) with yusuan's locked dependencies and the project
# installed at build time, not at each container start.
#   docker compose build   (or: docker build -t yusuan-airflow:3.3.2 .)
FROM apache/airflow:3.3.2-python3.11

# the locked dependencies first: a change of the code alone reuses this layer
COPY --chown=airflow:root requirements.lock /opt/yusuan/requirements.lock
RUN pip install --no-cache-dir -r /opt/yusuan/requirements.lock

# the project, editable: its settings find dags/ and dbt_project/ beside the package
COPY --chown=airflow:root . /opt/yusuan
RUN pip install --no-cache-dir --no-deps -e /opt/yusuan

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/yusuan/dags
