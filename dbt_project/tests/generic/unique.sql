{#- dbt's built-in `unique`, returning every row of a repeated value, whole (their lineage:
    see relationships.sql): a key shared by a new and a published document names both. -#}
{% test unique(model, column_name) %}
    {{ rows_sharing(model, [column_name], where=column_name ~ ' is not null') }}
{% endtest %}
