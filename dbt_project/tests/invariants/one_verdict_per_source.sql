-- Every run recorded one verdict per source and document.
{{ config(severity='warn', tags=['invariant']) }}

select
    document_loads.document_id,
    count(*) || ' verdicts in run ' || document_loads.run_id || ' for '
    || document_loads.source_uri || ' (document '
    || coalesce(left(document_loads.document_id, 12), 'none') || ')' as detail
from {{ source('audit', 'document_loads') }} as document_loads
group by document_loads.run_id, document_loads.source_uri, document_loads.document_id
having count(*) > 1
