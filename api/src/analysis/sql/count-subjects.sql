-- How many subjects in scope are new, grown, and partly or wholly covered by a permit (lw_subj).
SELECT count(*) FILTER (WHERE is_new)::int AS new_count, count(*) FILTER (WHERE grown)::int AS grown_count,
       count(*) FILTER (WHERE NOT eff_whole)::int AS permitted
FROM lw_subj
