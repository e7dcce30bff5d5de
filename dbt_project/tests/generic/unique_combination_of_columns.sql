{#- The rows whose combination of the given columns occurs more than once (the grain),
    whole (their lineage: see relationships.sql). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {{ rows_sharing(model, combination_of_columns) }}
{% endtest %}
