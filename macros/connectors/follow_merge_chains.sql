{#- Follows merge chains (A merged into B, B later merged into C) to the record each merged-away
    record ends in, with `max_depth` left joins of `edges` to itself instead of a recursive CTE (not
    portable to every warehouse the project builds on). `edges` is a relation or CTE name with one
    row per merged-away record: `merged_column` (the merged-away id) and `survivor_column` (the id it
    was merged into). Returns one row per edge: merged_id, direct_survivor_id, survivor_id (the end
    of the chain) and chain_length (merges followed). A chain longer than `max_depth` merges, or a
    circular one, has no end within the joins: its survivor_id and chain_length are null, so a
    not_null test on the caller's side fails instead of a record being staged under a merged id. -#}
{% macro follow_merge_chains(edges, merged_column, survivor_column, max_depth=10) -%}
    {%- if max_depth is not number or max_depth < 1 -%}
        {%- do exceptions.raise_compiler_error("follow_merge_chains: max_depth must be a number of merges >= 1, not " ~ max_depth) -%}
    {%- endif %}
    select
        hop_1.{{ merged_column }} as merged_id,
        hop_1.{{ survivor_column }} as direct_survivor_id,
        case
            when hop_{{ max_depth + 1 }}.{{ merged_column }} is null
                then coalesce(
                    {%- for hop in range(max_depth, 0, -1) %}
                    hop_{{ hop }}.{{ survivor_column }}{{ ',' if not loop.last }}
                    {%- endfor %}
                )
        end as survivor_id,
        case
            when hop_{{ max_depth + 1 }}.{{ merged_column }} is null
                then 1
                {%- for hop in range(2, max_depth + 1) %}
                + case when hop_{{ hop }}.{{ merged_column }} is not null then 1 else 0 end
                {%- endfor %}
        end as chain_length
    from {{ edges }} as hop_1
    {%- for hop in range(2, max_depth + 2) %}
    left join {{ edges }} as hop_{{ hop }}
        on hop_{{ hop - 1 }}.{{ survivor_column }} = hop_{{ hop }}.{{ merged_column }}
    {%- endfor %}
{%- endmacro %}
