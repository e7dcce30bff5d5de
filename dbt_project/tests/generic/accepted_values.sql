{#- dbt's built-in `accepted_values`, returning the whole failing rows (their lineage:
    see relationships.sql). A null passes, as in dbt's own. -#}
{% test accepted_values(model, column_name, values, quote=True) %}

select *
from {{ model }}
where {{ column_name }} not in (
    {% for value in values -%}
        {% if quote %}'{{ value }}'{% else %}{{ value }}{% endif %}
        {%- if not loop.last %}, {% endif %}
    {%- endfor %}
)

{% endtest %}
