PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE run(
  run_id TEXT,
  started_at TEXT,
  finished_at TEXT,
  status TEXT,
  tool_version TEXT,
  input_dir TEXT,
  rows_read INT,
  rows_rejected INT,
  rows_loaded INT,
  values_computed INT,
  values_suppressed INT,
  values_low_reliability INT,
  cells_counted INT,
  cells_withheld_primary INT,
  cells_withheld_group INT,
  cells_withheld_secondary INT,
  cells_withheld_protection INT,
  count_total INT,
  count_withheld INT,
  disclosure_relations INT
);
INSERT INTO run VALUES('2025-11-30T02:30:00.000Z','2025-11-30T02:30:00.000Z','2025-11-30T02:31:02.000Z','succeeded','0.1.0','Data',233804,0,233804,13686,1522,40,11610,472,381,647,570,2596841,39746,10422);
CREATE TABLE run_input(
  run_id TEXT,
  source_file TEXT,
  sha256 TEXT,
  bytes INT,
  lines_read INT,
  rows_read INT,
  rows_rejected INT,
  rows_loaded INT
);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/children.csv','3c0da4db88ac812f8060f03494fe4009d57f7e0b4a10be033386a13e91356f82',1714560,31494,31494,0,31494);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/episodes.csv','d341fcd77730e4d2500f524e39396b6ffc99534833a65b074df0b9c0f948f975',2173936,32698,32698,0,32698);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/placements.csv','9be47526ed51f84edb5df77dc7d5286021c204bd0665eb56b105044606a5b253',4043501,57580,57580,0,57580);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/published/advocacy.csv','36048370a8ad729279eef094e55b308d6754a7d043f3366b79073ac1672419f4',11951,205,205,0,205);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/published/aftercare.csv','dcb81ed4dee6419af35b634747c2c3150c225301e9dc56e87d3f886d75aaed27',24484,407,407,0,407);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/published/child_protection.csv','353711399f67cd3b32e2c69df666dff6e98417ad5d697d11d07130d05db9fefc',15489,203,203,0,203);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/published/education.csv','c1dcb7883edabe95e16f11f159117aefab293a403fc3d1fb1b676cb4f78f18ce',38505,607,607,0,607);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/published/restraint.csv','381ee3a5045f616fd9b6576bfd9ad11aa5a696641ffd3bd842d22b32f19201f7',24541,408,408,0,408);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/published/scra.csv','62238b01226d327d92f74032c35a7398bfdd53ead2b6dc901521bcc8f7a643c7',27201,415,415,0,415);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/published/secure_care.csv','74897127459384608f249b350cfe386befa3da19597bc22a7c450065b802c5df',516,7,7,0,7);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/quantitative/published/workforce.csv','f5fed58b111c4d8155c521fa494109a2207a37208753452fc3d530610ae5cc19',24232,406,406,0,406);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/experiential/responses.csv','60418e6abc70dee9f82b4310bf2ffcee1b9b981ac81226226e107fc3cd61e779',9991721,108307,108307,0,108307);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/experiential/comments.csv','0711873acd1dd627f6513ce0497b5b1e9b0e647eca1ca1f1f5be87405e0b0107',114225,943,847,0,847);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/experiential/invited.csv','08c837bd66802d4961f1be7b8204673a24d5f6d0bb10cb62b1848279ab24afd9',7145,180,180,0,180);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/qualitative/commitments.csv','3419446eabf228cc28b6d9c3447afb7f7da30d97a900bf8f2e7fdb90704b0c69',5677,34,34,0,34);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/qualitative/documents/2024-progress-update.md','f635b26a9aa12da2b47d2143239e835ecbc3e7bd79f7e913b1f432d631e67ccd',1631,42,1,0,1);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/qualitative/documents/data-and-accountability.md','0a79151ef99a1d37823cf5b966f102857df9845f668bd4d08c4d57243d39055d',922,21,1,0,1);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/qualitative/documents/family-support-briefing.md','9a892f6dfba3af4245082dc1897c01d56bce397592c28b9cb2a7a343b3c6e353',811,26,1,0,1);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/qualitative/documents/sibling-guidance-newsletter.txt','5aabe6dce2eae998fd94cccf6e3a16dca0686e183b8996dc638f90ce75437fc5',852,16,1,0,1);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/qualitative/documents/voice-and-participation.md','e1ae6eead938ffc27b3f304a6f9dbeccb2a992c3fb1c7ebfa3f3df5c7fac4180',737,13,1,0,1);
INSERT INTO run_input VALUES('2025-11-30T02:30:00.000Z','Data/qualitative/documents/workforce-supervision-report.md','9c30d9f29a09635b66792bd91c921e622a25dc5924b9a2bbe248493ab8d5a651',1006,26,1,0,1);
CREATE TABLE run_stage(
  run_id TEXT,
  stage TEXT,
  started_at TEXT,
  duration_ms INT,
  summary TEXT
);
INSERT INTO run_stage VALUES('2025-11-30T02:30:00.000Z','extract','2026-12-02T00:52:26.893Z',2477,'233804 rows read, 0 rejected');
INSERT INTO run_stage VALUES('2025-11-30T02:30:00.000Z','transform','2026-12-02T00:52:29.371Z',1743,'233804 rows passed, 0 rows rejected in all (see rejected_row)');
INSERT INTO run_stage VALUES('2025-11-30T02:30:00.000Z','load','2026-12-02T00:52:31.115Z',5916,'loaded child 31494, episode 32698, placement 57580, published_value 2658, survey_response 108307, survey_comment 847, survey_invited 180, commitment 34, document 6, snapshot_placement 73903, episode_start 19187, period_stability 94984, survey_respondent 11355, survey_answer 108307, survey_answer_distribution 429, survey_quote 847, commitment_status 41, statement_search 50, document_search 6');
INSERT INTO run_stage VALUES('2025-11-30T02:30:00.000Z','compute','2026-12-02T00:52:37.032Z',10706,'45 indicators, 13686 values, 1522 suppressed for publication');
INSERT INTO run_stage VALUES('2025-11-30T02:30:00.000Z','render','2026-12-02T00:52:47.740Z',2036,'348 files written to out/.work/public; 222 pages (HTML and Markdown, with their page CSVs) in 0.70 s (reading the published values 0.31 s), 0.314 s per hundred pages');
INSERT INTO run_stage VALUES('2025-11-30T02:30:00.000Z','audit','2026-12-02T00:52:49.776Z',10093,'348 public files audited, no findings (every withheld count of children has a provable range including 0 and 5, every withheld group of respondents 0 and 10; no contact details)');
CREATE TABLE run_note(
  run_id TEXT,
  stage TEXT,
  source_file TEXT,
  message TEXT
);
INSERT INTO run_note VALUES('2025-11-30T02:30:00.000Z','extract','Data/qualitative/documents/sibling-guidance-newsletter.txt','could not find published, publisher, document_type, url; the title was taken from the first line');
INSERT INTO run_note VALUES('2025-11-30T02:30:00.000Z','extract','Data/qualitative/documents/voice-and-participation.md','could not find published, publisher, document_type, url; the title was taken from the first line');
INSERT INTO run_note VALUES('2025-11-30T02:30:00.000Z','extract','Data/qualitative/documents/workforce-supervision-report.md','could not find url');
COMMIT;
