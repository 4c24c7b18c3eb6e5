/*
 * sqlite_schema_referrals.c: migration 4, the social prescribing pathway:
 * participants and their consent, referrals to directory services with
 * their lifecycle, capacity and waitlist, outcome measures, goals, stories,
 * attendance, one-time outcome links, feedback to the referrer and the GP,
 * and the small geography that places a person (LSOA -> neighbourhood, LSOA
 * -> deprivation decile).
 *
 * A referral names its directory service by the service's HSDS id and keeps
 * the service's name, with no foreign key: directory services are purged
 * some time after deletion, while a referral is a care record kept for the
 * retention period.
 *
 * Reports read referrals alone. Each referral keeps, frozen at the time it
 * was made, the equity dimensions of the person (place, neighbourhood, IMD
 * quintile, age band, sex, ethnicity group) and, as outcomes arrive, the
 * baseline and final scores of each measure: a report over a million
 * referrals is then one indexed range scan with no join. The outcomes table
 * stays the record of what was answered; the domain keeps both in step in
 * one transaction.
 */
#include "store/sqlite_schema.h"

/*
 * The columns the reports read, from the row's own: report_key packs the
 * status, whether it was sent and the four equity dimensions into one
 * integer (bits 0-3 the status in enum referral_status order, 4-6 the IMD
 * quintile less one (5: unknown), 7-10 the age band, 11-13 the sex, 14-16
 * the ethnic group, each in reports.c's order with its unknown last, bit
 * 17 sent), so a report reads one number instead of six texts; then whole
 * days from the date sent to the date of first contact (none when contact
 * came first), and each measure's paired change (none unless both). A
 * test holds these CASEs to reports.c's lists.
 */
#define REPORT_DERIVED                                                                             \
    "report_key ="                                                                                 \
    "  (CASE status WHEN 'draft' THEN 0 WHEN 'sent' THEN 1 WHEN 'accepted' THEN 2"                 \
    "    WHEN 'declined' THEN 3 WHEN 'waitlisted' THEN 4 WHEN 'started' THEN 5"                    \
    "    WHEN 'completed' THEN 6 WHEN 'dropped_out' THEN 7 WHEN 'cancelled' THEN 8 ELSE 15 END)"   \
    "  + 16 * (CASE WHEN imd_quintile BETWEEN 1 AND 5 THEN imd_quintile - 1 ELSE 5 END)"           \
    "  + 128 * (CASE age_band WHEN '0-17' THEN 0 WHEN '18-24' THEN 1 WHEN '25-34' THEN 2"          \
    "    WHEN '35-44' THEN 3 WHEN '45-54' THEN 4 WHEN '55-64' THEN 5 WHEN '65-74' THEN 6"          \
    "    WHEN '75+' THEN 7 ELSE 8 END)"                                                            \
    "  + 2048 * (CASE sex WHEN 'female' THEN 0 WHEN 'male' THEN 1 WHEN 'indeterminate' THEN 2"     \
    "    WHEN 'not_known' THEN 3 ELSE 4 END)"                                                      \
    "  + 16384 * (CASE ethnicity_group WHEN 'asian' THEN 0 WHEN 'black' THEN 1"                    \
    "    WHEN 'mixed' THEN 2 WHEN 'white' THEN 3 WHEN 'other' THEN 4 WHEN 'not_stated' THEN 5"     \
    "    ELSE 6 END)"                                                                              \
    "  + 131072 * (sent_at IS NOT NULL),"                                                          \
    " days_to_contact = CASE WHEN substr(first_contact_at, 1, 10) >= substr(sent_at, 1, 10)"       \
    "  THEN CAST(julianday(substr(first_contact_at, 1, 10)) - julianday(substr(sent_at, 1, 10))"   \
    "  AS INTEGER) END,"                                                                           \
    " swemwbs_change = swemwbs_f - swemwbs_b, ucla_change = ucla_f - ucla_b,"                      \
    " ons_life_change = ons_life_f - ons_life_b, ons_worth_change = ons_worth_f - ons_worth_b,"    \
    " ons_happy_change = ons_happy_f - ons_happy_b,"                                               \
    " ons_anxious_change = ons_anxious_f - ons_anxious_b"

/* What the report reads of each referral beyond its scope and date. */
#define REPORT_COVERED                                                                             \
    "participant_id, report_key, days_to_contact, swemwbs_change, ucla_change, ons_life_change,"   \
    " ons_worth_change, ons_happy_change, ons_anxious_change"

const char sqlite_migration_4[] =
    /* Which neighbourhood an LSOA (2011 or 2021 code) lies in: how a
     * postcode (postcodes.lsoa) places a person. */
    "CREATE TABLE neighbourhood_lsoas ("
    "  lsoa TEXT PRIMARY KEY,"
    "  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods(id) ON DELETE CASCADE"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX neighbourhood_lsoas_neighbourhood ON neighbourhood_lsoas(neighbourhood_id);"
    /* English Index of Multiple Deprivation decile of each LSOA (1 = most deprived). */
    "CREATE TABLE lsoa_imd ("
    "  lsoa TEXT PRIMARY KEY,"
    "  imd_decile INTEGER NOT NULL CHECK (imd_decile BETWEEN 1 AND 10)"
    ") STRICT, WITHOUT ROWID;"
    /* A person referred. Personal fields become NULL when the record is
     * anonymised (retention or erasure); the row and its outcome scores
     * stay for aggregate reports. organisation_id holds the record (the
     * organisation that created it). */
    "CREATE TABLE participants ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name TEXT,"
    "  date_of_birth TEXT,"
    "  nhs_number TEXT,"
    "  postcode TEXT,"
    "  lsoa TEXT,"
    "  neighbourhood_id INTEGER REFERENCES neighbourhoods(id),"
    "  place_id INTEGER REFERENCES places(id),"
    "  imd_decile INTEGER CHECK (imd_decile BETWEEN 1 AND 10),"
    "  phone TEXT,"
    "  email TEXT,"
    "  sex TEXT CHECK (sex IN ('female','male','indeterminate','not_known')),"
    "  ethnicity TEXT,"
    "  communication_needs TEXT,"
    "  access_needs TEXT,"
    "  gp_practice_code TEXT,"
    "  gp_practice_name TEXT,"
    "  organisation_id INTEGER NOT NULL REFERENCES organisations(id),"
    "  created_by_user_id INTEGER REFERENCES users(id),"
    "  last_contact_at TEXT NOT NULL,"
    "  anonymised_at TEXT,"
    "  anonymised_reason TEXT CHECK (anonymised_reason IN ('retention','erasure')),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX participants_organisation ON participants(organisation_id);"
    "CREATE INDEX participants_last_contact ON participants(last_contact_at)"
    "  WHERE anonymised_at IS NULL;"
    "CREATE INDEX participants_nhs_number ON participants(nhs_number) WHERE nhs_number IS NOT NULL;"
    /* Consent, as a history: the newest row of a (participant, scope) is
     * the one in force. Rows are never changed or deleted. */
    "CREATE TABLE consents ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  participant_id INTEGER NOT NULL REFERENCES participants(id),"
    "  scope TEXT NOT NULL CHECK (scope IN ('referral_to_provider','outcomes_to_referrer',"
    "    'outcomes_to_gp','anonymised_reporting','story_public')),"
    "  given INTEGER NOT NULL CHECK (given IN (0,1)),"
    "  method TEXT NOT NULL CHECK (method IN ('verbal','written','digital')),"
    "  recorded_at TEXT NOT NULL,"
    "  recorded_by_user_id INTEGER REFERENCES users(id),"
    "  recorded_by TEXT NOT NULL,"
    "  note TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX consents_participant ON consents(participant_id, scope, id);"
    /* The outcome reports read the few people who withdrew from them. */
    "CREATE INDEX consents_withdrawn ON consents(participant_id)"
    "  WHERE scope = 'anonymised_reporting' AND given = 0;"
    /* Places a service offers: at most `places` people accepted or started
     * at once (cohort), or accepted in one calendar week (week). */
    "CREATE TABLE service_capacity ("
    "  service_id TEXT PRIMARY KEY,"
    "  places INTEGER NOT NULL CHECK (places >= 0),"
    "  period TEXT NOT NULL CHECK (period IN ('cohort','week')),"
    "  updated_at TEXT NOT NULL,"
    "  updated_by TEXT NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE referrals ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  participant_id INTEGER NOT NULL REFERENCES participants(id),"
    "  service_id TEXT NOT NULL,"
    "  service_name TEXT NOT NULL,"
    "  referring_org_id INTEGER NOT NULL REFERENCES organisations(id),"
    "  receiving_org_id INTEGER NOT NULL REFERENCES organisations(id),"
    "  referrer_user_id INTEGER REFERENCES users(id),"
    "  self_referral INTEGER NOT NULL DEFAULT 0 CHECK (self_referral IN (0,1)),"
    "  status TEXT NOT NULL CHECK (status IN ('draft','sent','accepted','declined','waitlisted',"
    "    'started','completed','dropped_out','cancelled')),"
    "  snomed_code TEXT,"
    /* The id of the first referral of this person's episode (itself for
     * the first): an episode runs while any of its referrals is open. */
    "  episode_id INTEGER NOT NULL,"
    "  urgency TEXT NOT NULL DEFAULT 'routine' CHECK (urgency IN ('routine','urgent')),"
    "  notes TEXT,"
    "  reason TEXT,"
    "  declined_by TEXT CHECK (declined_by IN ('person','provider')),"
    "  sent_at TEXT,"
    "  first_contact_at TEXT,"
    "  accepted_at TEXT,"
    "  started_at TEXT,"
    "  ended_at TEXT,"
    /* Equity dimensions, frozen when the referral is made. */
    "  place_id INTEGER REFERENCES places(id),"
    "  neighbourhood_id INTEGER REFERENCES neighbourhoods(id),"
    "  imd_quintile INTEGER CHECK (imd_quintile BETWEEN 1 AND 5),"
    "  age_band TEXT,"
    "  sex TEXT,"
    "  ethnicity_group TEXT,"
    /* Scores kept in step with the outcomes table (baseline b, final f). */
    "  swemwbs_b REAL, swemwbs_f REAL,"
    "  ucla_b INTEGER, ucla_f INTEGER,"
    "  ons_life_b INTEGER, ons_worth_b INTEGER, ons_happy_b INTEGER, ons_anxious_b INTEGER,"
    "  ons_life_f INTEGER, ons_worth_f INTEGER, ons_happy_f INTEGER, ons_anxious_f INTEGER,"
    /* What the reports read, set by the triggers below from the columns
     * above (see REPORT_DERIVED). */
    "  report_key INTEGER,"
    "  days_to_contact INTEGER,"
    "  swemwbs_change REAL, ucla_change INTEGER, ons_life_change INTEGER,"
    "  ons_worth_change INTEGER, ons_happy_change INTEGER, ons_anxious_change INTEGER,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX referrals_participant ON referrals(participant_id);"
    "CREATE INDEX referrals_referring ON referrals(referring_org_id, created_at);"
    "CREATE INDEX referrals_service ON referrals(service_id, status, created_at);"
    /* The report's scans of the whole system, a receiving organisation, a
     * place or a neighbourhood read these indexes alone, in order, never
     * the table: over a quarter of a million referrals that halves the
     * time. REPORT_COVERED is the report's columns (reports.c,
     * REPORT_COLUMNS): keep them in step. */
    "CREATE INDEX referrals_created ON referrals(created_at, " REPORT_COVERED ");"
    "CREATE INDEX referrals_receiving ON referrals(receiving_org_id, created_at, " REPORT_COVERED
    ");"
    "CREATE INDEX referrals_place ON referrals(place_id, created_at, " REPORT_COVERED ");"
    "CREATE INDEX referrals_neighbourhood ON referrals(neighbourhood_id, "
    "created_at, " REPORT_COVERED ");"
    /* SQLite keeps the report's columns itself, so no writer can forget
     * them. (Generated columns would say the same more briefly, but
     * SQLite 3.40 never reads them from an index, so the scans above
     * would visit the table for each row.) */
    "CREATE TRIGGER referrals_report_new AFTER INSERT ON referrals BEGIN"
    "  UPDATE referrals SET " REPORT_DERIVED " WHERE id = NEW.id;"
    "END;"
    "CREATE TRIGGER referrals_report_changed AFTER UPDATE OF status, sent_at, first_contact_at,"
    "  imd_quintile, age_band, sex, ethnicity_group, swemwbs_b, swemwbs_f, ucla_b, ucla_f,"
    "  ons_life_b, ons_worth_b, ons_happy_b, ons_anxious_b, ons_life_f, ons_worth_f,"
    "  ons_happy_f, ons_anxious_f ON referrals BEGIN"
    "  UPDATE referrals SET " REPORT_DERIVED " WHERE id = NEW.id;"
    "END;"
    "CREATE TABLE referral_needs ("
    "  referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,"
    "  term_id TEXT NOT NULL,"
    "  PRIMARY KEY (referral_id, term_id)"
    ") STRICT, WITHOUT ROWID;"
    /* Every change of status: when, by whom, why. */
    "CREATE TABLE referral_events ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
    "  from_status TEXT,"
    "  to_status TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  actor_user_id INTEGER REFERENCES users(id),"
    "  reason TEXT"
    ") STRICT;"
    "CREATE INDEX referral_events_referral ON referral_events(referral_id, id);"
    "CREATE TABLE outcomes ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
    "  participant_id INTEGER NOT NULL REFERENCES participants(id),"
    "  measure TEXT NOT NULL CHECK (measure IN ('swemwbs','ons4','ucla3')),"
    "  stage TEXT NOT NULL CHECK (stage IN ('baseline','midpoint','final')),"
    "  answers TEXT NOT NULL,"
    "  raw_score REAL,"
    "  metric_score REAL,"
    "  via TEXT NOT NULL CHECK (via IN ('practitioner','link')),"
    "  recorded_at TEXT NOT NULL,"
    "  recorded_by_user_id INTEGER REFERENCES users(id),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  UNIQUE (referral_id, measure, stage)"
    ") STRICT;"
    "CREATE INDEX outcomes_participant ON outcomes(participant_id);"
    "CREATE TABLE goals ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
    "  goal TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX goals_referral ON goals(referral_id);"
    "CREATE TABLE goal_ratings ("
    "  goal_id INTEGER NOT NULL REFERENCES goals(id),"
    "  stage TEXT NOT NULL CHECK (stage IN ('baseline','midpoint','final')),"
    "  rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 10),"
    "  recorded_at TEXT NOT NULL,"
    "  PRIMARY KEY (goal_id, stage)"
    ") STRICT, WITHOUT ROWID;"
    /* The participant's own words. */
    "CREATE TABLE stories ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
    "  body TEXT,"
    "  via TEXT NOT NULL CHECK (via IN ('practitioner','link')),"
    "  recorded_by_user_id INTEGER REFERENCES users(id),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX stories_referral ON stories(referral_id);"
    "CREATE TABLE attendance ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
    "  session_date TEXT NOT NULL,"
    "  attended INTEGER NOT NULL CHECK (attended IN (0,1)),"
    "  note TEXT,"
    "  recorded_by_user_id INTEGER REFERENCES users(id),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  UNIQUE (referral_id, session_date)"
    ") STRICT;"
    /* One-time outcome links: only a hash of the secret is kept. */
    "CREATE TABLE outcome_links ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  stage TEXT NOT NULL CHECK (stage IN ('baseline','midpoint','final')),"
    "  measures TEXT NOT NULL,"
    "  expires_at TEXT NOT NULL,"
    "  used_at TEXT,"
    "  created_by_user_id INTEGER REFERENCES users(id),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX outcome_links_referral ON outcome_links(referral_id);"
    /* Messages back from the provider to the referrer or the GP. */
    "CREATE TABLE feedback_messages ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  referral_id INTEGER NOT NULL REFERENCES referrals(id),"
    "  recipient TEXT NOT NULL CHECK (recipient IN ('referrer','gp')),"
    "  body TEXT,"
    "  author_user_id INTEGER REFERENCES users(id),"
    "  author TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX feedback_messages_referral ON feedback_messages(referral_id, id);";
