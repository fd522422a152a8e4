-- Subjects the plain pairing of find-twins.sql paired more than once: a layer holding identical copies
-- (same layer, epoch, source id and geometry). Then the subject pairs are redone with copy numbers.
SELECT (EXISTS (SELECT 1 FROM lw_twin WHERE what = 'subject' GROUP BY old_id HAVING count(*) > 1)
     OR EXISTS (SELECT 1 FROM lw_twin WHERE what = 'subject' GROUP BY new_id HAVING count(*) > 1))::int AS n
