{#- dbt's built-in `relationships`, returning the whole failing rows: a stored failure
    then carries the row's lineage (document_id, page_number, table_index where the model
    has them), which the pipeline reads to hold the table the row came from. -#}
{% test relationships(model, column_name, to, field) %}

select child.*
from {{ model }} as child
left join {{ to }} as parent
    on child.{{ column_name }} = parent.{{ field }}
where
    child.{{ column_name }} is not null
    and parent.{{ field }} is null

{% endtest %}
