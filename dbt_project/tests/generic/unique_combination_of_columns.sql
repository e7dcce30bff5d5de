{#- The rows whose combination of the given columns occurs more than once (the grain),
    whole (their lineage: see relationships.sql). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select *
from {{ model }}
qualify count(*) over (partition by {{ combination_of_columns | join(', ') }}) > 1

{% endtest %}
