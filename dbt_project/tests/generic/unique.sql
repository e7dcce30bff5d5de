{#- dbt's built-in `unique`, returning every row of a repeated value, whole (their lineage:
    see relationships.sql): a key shared by a new and a published document names both. -#}
{% test unique(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} is not null
qualify count(*) over (partition by {{ column_name }}) > 1

{% endtest %}
