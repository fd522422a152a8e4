-- Districts that came from a version being superseded.
DELETE FROM district WHERE dataset_id = $1
