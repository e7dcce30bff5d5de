with

projects as (

    select * from {{ ref('stg_yusuan__projects') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

resolved as (

    select
        projects.*,
        documents.fiscal_year,
        documents.budget_level,
        documents.region,
        documents.province,
        documents.loaded_at,
        -- the document's department, as for indicators (int_indicators)
        coalesce(documents.department_name, projects.department_name)
            as resolved_department_name
    from projects
    left join documents
        on projects.document_id = documents.document_id

),

final as (

    {% call keep_first(
        [
            'resolved.document_id',
            'resolved.source_family',
            'resolved.resolved_department_name',
            'resolved.project_name',
            'resolved.unit_name'
        ],
        [
            'resolved.page_number',
            'resolved.table_index',
            'resolved.row_index'
        ]
    ) %}
    -- the same project line printed twice in one table family of a document (a repeated
    -- table) counts once: the lowest page wins; each family keeps its own line, and
    -- int_projects chooses between them
    select
        {{ project_key(
            department_key(
                'resolved.resolved_department_name', 'resolved.region', 'resolved.province'
            ),
            'resolved.fiscal_year',
            'resolved.project_name'
        ) }} as project_key,
        resolved.document_id,
        resolved.resolved_department_name as department_name,
        {{ department_key(
            'resolved.resolved_department_name', 'resolved.region', 'resolved.province'
        ) }} as department_key,
        resolved.fiscal_year,
        resolved.project_name,
        resolved.project_code,
        resolved.unit_name,
        resolved.project_type,
        resolved.unit_code,
        resolved.source_family,
        resolved.amount_yuan,
        resolved.government_funds_yuan,
        resolved.other_funds_yuan,
        resolved.budget_level,
        resolved.region,
        resolved.province,
        resolved.loaded_at,
        resolved.page_number,
        resolved.table_index,
        resolved.row_index
    from resolved
    {% endcall %}

)

select * from final
