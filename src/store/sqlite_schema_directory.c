/*
 * sqlite_schema_directory.c: migration 3, the Creative Health directory.
 *
 * The HSDS 3.0 objects keep their own string ids (UUIDs from most feeds,
 * other strings from older ones), so a feed imported twice updates in place.
 * Objects that the search and the pages need to reach by number carry an
 * INTEGER PRIMARY KEY "rid" as well: a stable rowid that VACUUM never
 * renumbers, which the full-text index is keyed by.
 *
 * A service's published HSDS document is kept whole in dir_services.document
 * (its first summary_len bytes are its one-to-one fields plus organization:
 * what a list shows), rendered from these rows on every write, so the
 * public API answers a page with one read. The rows stay the truth: the
 * search filters run on them.
 *
 * Migration 5 rewrites the triggers that queue services for the full-text
 * index, migration 6 replaces the stored summary by its length, migration 7
 * lets the full-text index take a whole batch of services at a time,
 * migration 8 leaves out of four indexes the rows they never find (below).
 */
#include "store/sqlite_schema.h"

const char sqlite_migration_3[] =
    "CREATE TABLE dir_taxonomies ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  description TEXT,"
    "  uri TEXT,"
    "  version TEXT,"
    "  updated_at TEXT NOT NULL DEFAULT ''"
    ") STRICT;"
    "CREATE TABLE dir_taxonomy_terms ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  code TEXT,"
    "  name TEXT NOT NULL,"
    "  description TEXT,"
    "  parent_id TEXT,"
    "  taxonomy TEXT,"
    "  taxonomy_id TEXT REFERENCES dir_taxonomies(id),"
    "  language TEXT,"
    "  term_uri TEXT,"
    "  updated_at TEXT NOT NULL DEFAULT ''"
    ") STRICT;"
    "CREATE INDEX dir_taxonomy_terms_taxonomy ON dir_taxonomy_terms(taxonomy_id);"
    "CREATE INDEX dir_taxonomy_terms_parent ON dir_taxonomy_terms(parent_id);"
    "CREATE TABLE dir_organizations ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  organisation_id INTEGER REFERENCES organisations(id),"
    "  name TEXT NOT NULL,"
    "  alternate_name TEXT,"
    "  description TEXT,"
    "  email TEXT,"
    "  website TEXT,"
    "  tax_status TEXT,"
    "  tax_id TEXT,"
    "  year_incorporated INTEGER,"
    "  legal_status TEXT,"
    "  logo TEXT,"
    "  uri TEXT,"
    "  parent_organization_id TEXT,"
    "  created_at TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL DEFAULT ''"
    ") STRICT;"
    "CREATE INDEX dir_organizations_organisation ON dir_organizations(organisation_id);"
    "CREATE TABLE dir_services ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  organization_id TEXT NOT NULL REFERENCES dir_organizations(id),"
    "  name TEXT NOT NULL,"
    "  alternate_name TEXT,"
    "  description TEXT,"
    "  url TEXT,"
    "  email TEXT,"
    "  status TEXT NOT NULL CHECK (status IN ('active','inactive','defunct','temporarily closed')),"
    "  interpretation_services TEXT,"
    "  application_process TEXT,"
    "  fees_description TEXT,"
    "  eligibility_description TEXT,"
    "  accreditations TEXT,"
    "  minimum_age REAL,"
    "  maximum_age REAL,"
    "  assured_date TEXT,"
    "  assurer_email TEXT,"
    "  alert TEXT,"
    "  wait_time TEXT,"
    "  last_modified TEXT NOT NULL,"
    /* Free of charge: no cost option with a positive amount. */
    "  free INTEGER NOT NULL DEFAULT 1 CHECK (free IN (0,1)),"
    /* pending: written by a provider, never approved, not public. */
    "  state TEXT NOT NULL DEFAULT 'published' CHECK (state IN ('pending','published')),"
    "  deleted_at TEXT,"
    "  deleted_by TEXT,"
    /* Words the search should find beyond name and description: the
     * organization's name, alternate names, taxonomy terms. */
    "  keywords TEXT NOT NULL DEFAULT '',"
    "  document TEXT NOT NULL DEFAULT '{}',"
    "  summary TEXT NOT NULL DEFAULT '{}',"
    "  created_at TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL DEFAULT ''"
    ") STRICT;"
    "CREATE INDEX dir_services_organization ON dir_services(organization_id);"
    "CREATE INDEX dir_services_modified ON dir_services(last_modified);"
    /* The search's memory reloads the few services that are not public. */
    "CREATE INDEX dir_services_unpublished ON dir_services(state) WHERE state <> 'published';"
    /* The purge looks for services deleted long enough ago. */
    "CREATE INDEX dir_services_deleted ON dir_services(deleted_at) WHERE deleted_at IS NOT NULL;"
    "CREATE INDEX dir_services_name ON dir_services(name COLLATE NOCASE, id);"
    /* Name weighs more than description: see the bm25 weights in sqlite.c. */
    "CREATE VIRTUAL TABLE dir_services_fts USING fts5("
    "  name, description, extra,"
    "  tokenize = 'porter unicode61 remove_diacritics 2'"
    ");"
    /* The index follows the table by triggers, so no writer can forget it:
     * a changed service joins a queue that store_text_index_flush() (the
     * backend's) indexes in one statement. Writing FTS5 row by row inside a
     * large transaction makes it flush its pending terms at every later
     * statement's savepoint, which dominated a bulk import. */
    "CREATE TABLE dir_services_fts_queue (rid INTEGER PRIMARY KEY) STRICT;"
    "CREATE TRIGGER dir_services_fts_insert AFTER INSERT ON dir_services BEGIN"
    "  INSERT OR IGNORE INTO dir_services_fts_queue (rid) VALUES (new.rid);"
    "END;"
    "CREATE TRIGGER dir_services_fts_update AFTER UPDATE OF name, description, keywords"
    "  ON dir_services BEGIN"
    "  INSERT OR IGNORE INTO dir_services_fts_queue (rid) VALUES (new.rid);"
    "END;"
    "CREATE TRIGGER dir_services_fts_delete AFTER DELETE ON dir_services BEGIN"
    "  DELETE FROM dir_services_fts WHERE rowid = old.rid;"
    "  DELETE FROM dir_services_fts_queue WHERE rid = old.rid;"
    "END;"
    /* Imports link directory organizations to chis organisations by name. */
    "CREATE INDEX organisations_name_lower ON organisations(lower(name));"
    "CREATE TABLE dir_locations ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  location_type TEXT NOT NULL DEFAULT 'physical'"
    "    CHECK (location_type IN ('physical','postal','virtual')),"
    "  url TEXT,"
    "  organization_id TEXT,"
    "  name TEXT,"
    "  alternate_name TEXT,"
    "  description TEXT,"
    "  transportation TEXT,"
    "  latitude REAL CHECK (latitude BETWEEN -90 AND 90),"
    "  longitude REAL CHECK (longitude BETWEEN -180 AND 180),"
    "  external_identifier TEXT,"
    "  external_identifier_type TEXT,"
    "  place_id INTEGER REFERENCES places(id),"
    "  neighbourhood_id INTEGER REFERENCES neighbourhoods(id),"
    "  updated_at TEXT NOT NULL DEFAULT ''"
    ") STRICT;"
    "CREATE INDEX dir_locations_lat ON dir_locations(latitude, longitude);"
    "CREATE INDEX dir_locations_place ON dir_locations(place_id);"
    "CREATE INDEX dir_locations_neighbourhood ON dir_locations(neighbourhood_id);"
    "CREATE TABLE dir_service_at_locations ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  service_id TEXT NOT NULL REFERENCES dir_services(id),"
    "  location_id TEXT NOT NULL REFERENCES dir_locations(id),"
    "  description TEXT"
    ") STRICT;"
    "CREATE INDEX dir_sal_service ON dir_service_at_locations(service_id);"
    /* Covering: the search goes from venue points to their services. */
    "CREATE INDEX dir_sal_location ON dir_service_at_locations(location_id, service_id);"
    "CREATE TABLE dir_addresses ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  location_id TEXT NOT NULL REFERENCES dir_locations(id),"
    "  attention TEXT,"
    "  address_1 TEXT,"
    "  address_2 TEXT,"
    "  city TEXT,"
    "  region TEXT,"
    "  state_province TEXT,"
    "  postal_code TEXT,"
    "  country TEXT,"
    "  address_type TEXT NOT NULL DEFAULT 'physical'"
    "    CHECK (address_type IN ('physical','postal','virtual'))"
    ") STRICT;"
    "CREATE INDEX dir_addresses_location ON dir_addresses(location_id);"
    /* Phones, contacts, schedules, languages and the rest hang off a service,
     * a location or a service-at-location; all owner ids are HSDS ids. */
    "CREATE TABLE dir_phones ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  location_id TEXT,"
    "  service_id TEXT,"
    "  organization_id TEXT,"
    "  contact_id TEXT,"
    "  service_at_location_id TEXT,"
    "  number TEXT NOT NULL,"
    "  extension TEXT,"
    "  type TEXT,"
    "  description TEXT"
    ") STRICT;"
    "CREATE INDEX dir_phones_service ON dir_phones(service_id);"
    "CREATE INDEX dir_phones_contact ON dir_phones(contact_id);"
    "CREATE TABLE dir_contacts ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  organization_id TEXT,"
    "  service_id TEXT,"
    "  service_at_location_id TEXT,"
    "  location_id TEXT,"
    "  name TEXT,"
    "  title TEXT,"
    "  department TEXT,"
    "  email TEXT"
    ") STRICT;"
    "CREATE INDEX dir_contacts_service ON dir_contacts(service_id);"
    "CREATE TABLE dir_schedules ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  service_id TEXT,"
    "  location_id TEXT,"
    "  service_at_location_id TEXT,"
    "  valid_from TEXT,"
    "  valid_to TEXT,"
    "  dtstart TEXT,"
    "  timezone REAL,"
    "  until TEXT,"
    "  count INTEGER,"
    "  wkst TEXT,"
    "  freq TEXT CHECK (freq IN ('WEEKLY','MONTHLY')),"
    "  interval INTEGER,"
    "  byday TEXT,"
    "  byweekno TEXT,"
    "  bymonthday TEXT,"
    "  byyearday TEXT,"
    "  description TEXT,"
    "  opens_at TEXT,"
    "  closes_at TEXT,"
    "  schedule_link TEXT,"
    "  attending_type TEXT,"
    "  notes TEXT"
    ") STRICT;"
    "CREATE INDEX dir_schedules_service ON dir_schedules(service_id);"
    "CREATE INDEX dir_schedules_sal ON dir_schedules(service_at_location_id);"
    "CREATE TABLE dir_cost_options ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  service_id TEXT NOT NULL,"
    "  valid_from TEXT,"
    "  valid_to TEXT,"
    "  option TEXT,"
    "  currency TEXT,"
    "  amount REAL,"
    "  amount_description TEXT"
    ") STRICT;"
    "CREATE INDEX dir_cost_options_service ON dir_cost_options(service_id);"
    "CREATE TABLE dir_service_areas ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  service_id TEXT,"
    "  service_at_location_id TEXT,"
    "  name TEXT,"
    "  description TEXT,"
    "  extent TEXT,"
    "  extent_type TEXT,"
    "  uri TEXT"
    ") STRICT;"
    "CREATE INDEX dir_service_areas_service ON dir_service_areas(service_id);"
    "CREATE TABLE dir_languages ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  service_id TEXT,"
    "  location_id TEXT,"
    "  phone_id TEXT,"
    "  name TEXT,"
    "  code TEXT,"
    "  note TEXT"
    ") STRICT;"
    "CREATE INDEX dir_languages_service ON dir_languages(service_id);"
    "CREATE TABLE dir_accessibility ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  location_id TEXT NOT NULL,"
    "  description TEXT,"
    "  details TEXT,"
    "  url TEXT"
    ") STRICT;"
    "CREATE INDEX dir_accessibility_location ON dir_accessibility(location_id);"
    "CREATE TABLE dir_fundings ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  organization_id TEXT,"
    "  service_id TEXT,"
    "  source TEXT"
    ") STRICT;"
    "CREATE INDEX dir_fundings_service ON dir_fundings(service_id);"
    /* Attributes tie taxonomy terms to anything; service terms are what the
     * taxonomy filters read, so (link_id, term) and (term, link_id) both. */
    "CREATE TABLE dir_attributes ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  link_id TEXT NOT NULL,"
    "  link_type TEXT,"
    "  link_entity TEXT NOT NULL DEFAULT 'service',"
    "  taxonomy_term_id TEXT NOT NULL REFERENCES dir_taxonomy_terms(id),"
    "  value TEXT,"
    "  label TEXT"
    ") STRICT;"
    "CREATE INDEX dir_attributes_link ON dir_attributes(link_id, taxonomy_term_id);"
    "CREATE INDEX dir_attributes_term ON dir_attributes(taxonomy_term_id, link_id);"
    /* Every version of a service a provider or lead has written: the
     * document as proposed, who and when, and what became of it. */
    "CREATE TABLE dir_service_versions ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  service_id TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('pending','published','superseded','rejected',"
    "    'withdrawn')),"
    "  action TEXT NOT NULL CHECK (action IN ('create','update','delete','restore','import')),"
    "  document TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  created_by_user_id INTEGER REFERENCES users(id),"
    "  decided_at TEXT,"
    "  decided_by TEXT,"
    "  decision_note TEXT,"
    "  UNIQUE (service_id, version)"
    ") STRICT;"
    "CREATE INDEX dir_service_versions_state ON dir_service_versions(state, id);"
    /* Postcode centroids (ONS Postcode Directory) and outcode centroids,
     * keyed by the normalised form: upper case, no spaces. */
    "CREATE TABLE postcodes ("
    "  postcode TEXT PRIMARY KEY,"
    "  latitude REAL NOT NULL,"
    "  longitude REAL NOT NULL,"
    "  lsoa TEXT"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE outcodes ("
    "  outcode TEXT PRIMARY KEY,"
    "  latitude REAL NOT NULL,"
    "  longitude REAL NOT NULL"
    ") STRICT, WITHOUT ROWID;";

/*
 * Migration 5. The queue triggers said INSERT OR IGNORE, but a statement's
 * own conflict clause overrides its triggers' (SQLite's rule), so an
 * upsert of a service already queued (one written twice in one bulk write,
 * before the queue is indexed) failed on the queue's key. Asking whether
 * the row is queued depends on no conflict clause.
 */
const char sqlite_migration_5[] =
    "DROP TRIGGER dir_services_fts_insert;"
    "DROP TRIGGER dir_services_fts_update;"
    "CREATE TRIGGER dir_services_fts_insert AFTER INSERT ON dir_services BEGIN"
    "  INSERT INTO dir_services_fts_queue (rid) SELECT new.rid"
    "   WHERE NOT EXISTS (SELECT 1 FROM dir_services_fts_queue WHERE rid = new.rid);"
    "END;"
    "CREATE TRIGGER dir_services_fts_update AFTER UPDATE OF name, description, keywords"
    "  ON dir_services BEGIN"
    "  INSERT INTO dir_services_fts_queue (rid) SELECT new.rid"
    "   WHERE NOT EXISTS (SELECT 1 FROM dir_services_fts_queue WHERE rid = new.rid);"
    "END;";

/*
 * Migration 6. The list summary was stored whole beside the document it is
 * a prefix of (the document's text up to its first list, closed by "}"):
 * 94 MB of a 100,000-service directory written twice. Now only its length
 * is kept, and readers cut the summary from the document. A stored summary
 * is that prefix plus "}", so its length less one is the length kept; a
 * row whose summary is not its document's prefix (edited by hand, or left
 * at the default) gets the cut before its first list instead, found as the
 * text ,"service_at_locations": (which no JSON string can hold: its quote
 * would be escaped), or the whole document when it has no lists, as the
 * writer would; else an empty summary. A cut is kept only where the text
 * up to it, closed, is valid JSON, which a cut inside a string or a nested
 * object is not.
 */
const char sqlite_migration_6[] =
    "ALTER TABLE dir_services ADD COLUMN summary_len INTEGER NOT NULL DEFAULT 1"
    "  CHECK (summary_len >= 1);"
    "UPDATE dir_services SET summary_len = CASE"
    " WHEN length(CAST(summary AS BLOB)) > 1"
    "  AND substr(CAST(document AS BLOB), 1, length(CAST(summary AS BLOB)) - 1)"
    "   = substr(CAST(summary AS BLOB), 1, length(CAST(summary AS BLOB)) - 1)"
    "  AND (substr(CAST(document AS BLOB), length(CAST(summary AS BLOB)), 1) = X'2C'"
    "   OR CAST(document AS BLOB) = CAST(summary AS BLOB))"
    "  AND json_valid(summary)"
    "  THEN length(CAST(summary AS BLOB)) - 1"
    " WHEN instr(CAST(document AS BLOB), CAST(',\"service_at_locations\":' AS BLOB)) > 1"
    "  AND json_valid(CAST(substr(CAST(document AS BLOB), 1, instr(CAST(document AS BLOB),"
    "   CAST(',\"service_at_locations\":' AS BLOB)) - 1) AS TEXT) || '}')"
    "  THEN instr(CAST(document AS BLOB), CAST(',\"service_at_locations\":' AS BLOB)) - 1"
    " WHEN instr(CAST(document AS BLOB), CAST('\"service_at_locations\":' AS BLOB)) = 0"
    "  AND length(CAST(document AS BLOB)) > 1 AND json_valid(document)"
    "  THEN length(CAST(document AS BLOB)) - 1"
    " ELSE 1 END;"
    "ALTER TABLE dir_services DROP COLUMN summary;";

/*
 * Migration 7. FTS5 keeps the terms of rows being indexed in memory and
 * writes them out as a new segment of its index whenever they pass its
 * "hashsize" (1 MiB unless told), merging segments as they pile up. An
 * import indexes services 16,384 at a time (dir_bulk.c), about 10 MiB of
 * terms: at 1 MiB each batch became ten segments, and merging them was 40%
 * of the indexing. With 64 MiB a batch is one segment. The memory is only
 * ever used by a transaction indexing that much; an edit's terms are a
 * few kilobytes. (The setting lives in the index's own config table.)
 */
const char sqlite_migration_7[] =
    "INSERT INTO dir_services_fts (dir_services_fts, rank) VALUES ('hashsize', 67108864);";

/*
 * Migration 8. Four indexes find rows by a reference most rows leave empty:
 * a phone's contact (most phones are the service's own), a schedule's
 * service_at_location (most are the service's), a venue's place and
 * neighbourhood (known only where LSOAs are). Every lookup is by equality,
 * which SQLite answers from an index that leaves the empty ones out; such
 * a partial index is small, and a bulk write keeps it as it goes instead
 * of building it again at the end (store_bulk_defer_indexes()).
 */
const char sqlite_migration_8[] =
    "DROP INDEX dir_phones_contact;"
    "CREATE INDEX dir_phones_contact ON dir_phones(contact_id) WHERE contact_id IS NOT NULL;"
    "DROP INDEX dir_schedules_sal;"
    "CREATE INDEX dir_schedules_sal ON dir_schedules(service_at_location_id)"
    "  WHERE service_at_location_id IS NOT NULL;"
    "DROP INDEX dir_locations_place;"
    "CREATE INDEX dir_locations_place ON dir_locations(place_id) WHERE place_id IS NOT NULL;"
    "DROP INDEX dir_locations_neighbourhood;"
    "CREATE INDEX dir_locations_neighbourhood ON dir_locations(neighbourhood_id)"
    "  WHERE neighbourhood_id IS NOT NULL;";
