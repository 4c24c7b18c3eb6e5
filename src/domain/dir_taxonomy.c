/*
 * dir_taxonomy.c: the Creative Health taxonomy chis ships, and the built-in
 * outcode centroids. Both are data every system has from its first start,
 * so that a provider can tag a service and a link worker can search near a
 * postcode before anything has been imported.
 *
 * The taxonomy has two trees: the kind of activity (music, dance, heritage
 * ...) and the need it addresses (loneliness, dementia, carers ...). Ids are
 * fixed UUIDs (HSDS ids are UUIDs, and validators check the format), the
 * same in every system, so a term id read from one chis means the same in
 * another. Installing is idempotent and cheap when nothing changed: a
 * version in the settings table says which version is installed, and a
 * start reads that one row.
 */
#include "domain/dir_builtin.h"
#include "domain/directory.h"

#include <string.h>

#define ACT "CH-ACT"
#define NEED "CH-NEED"

/* clang-format off */
const struct dir_ch_term dir_ch_terms[] = {
    {DIR_CH_ACTIVITY_ROOT, ACT, NULL, "Activity type",
     "What people do: the art form, cultural or nature activity a service offers."},
    {DIR_CH_NEED_ROOT, NEED, NULL, "Need addressed",
     "Who a service is for, or the health and wellbeing need it helps with."},

    /* ---- activity types ---- */
    {"18297098-2b1a-4cff-b1b1-add1d2819784", ACT "-MUSIC", ACT, "Music",
     "Making, playing or listening to music: bands, ukulele and drumming groups, "
     "songwriting, music therapy."},
    {"54a13144-0f14-422d-8473-ed38d7825060", ACT "-SINGING", ACT, "Singing",
     "Choirs and singing groups, including singing for lung health and singing for "
     "people living with dementia."},
    {"88ba732e-cb54-4dc0-9922-2afa3cc47a21", ACT "-DANCE", ACT, "Dance and movement",
     "Dance classes and movement sessions of every style and level, seated dance, "
     "dance for Parkinson's."},
    {"856d1fdd-9d41-45b0-a119-9a08c24c7a07", ACT "-VISUAL", ACT, "Visual arts",
     "Painting, drawing, printmaking, sculpture and art classes or open studios."},
    {"b57dd5bd-8bf8-427c-b915-2d820035846a", ACT "-CRAFTS", ACT, "Crafts",
     "Knitting, sewing, pottery, woodwork, men's sheds and other making together."},
    {"de479504-665e-488c-8dee-df963d5f7816", ACT "-DRAMA", ACT, "Drama and theatre",
     "Acting, improvisation, youth and community theatre, going to performances together."},
    {"ab49a9b1-9e0e-4306-af4b-cec764628051", ACT "-WRITING", ACT, "Creative writing",
     "Poetry, life writing, storytelling and spoken word groups and workshops."},
    {"7e4a2387-3d7b-431e-b644-6a8d7cdc1e3a", ACT "-READING", ACT, "Reading",
     "Shared reading groups, reading aloud, book clubs and library activities."},
    {"ffd6cdd1-2372-4ee9-96d8-090ddd5fad68", ACT "-HERITAGE", ACT, "Heritage and museums",
     "Museum, gallery, archive and heritage site activities, reminiscence and "
     "heritage volunteering."},
    {"d943f1a3-0b9d-44aa-9458-f3ac25766d03", ACT "-NATURE", ACT, "Nature and gardening",
     "Community gardens and allotments, green prescribing, conservation volunteering "
     "and nature walks."},
    {"0e56e0d2-80b3-4894-ba22-8184251b94fa", ACT "-FILM", ACT, "Film and photography",
     "Film clubs and screenings, film making, photography walks and courses."},
    {"bda6c07d-2250-40c1-b3b7-2c9127056a6a", ACT "-DIGITAL", ACT, "Digital arts",
     "Digital art, animation, music production, game design and online creative groups."},
    {"b4ca19a1-71b1-46c2-8234-1333734dfda2", ACT "-CIRCUS", ACT, "Circus skills",
     "Juggling, aerial, acrobatics and other circus skills for fun, fitness and confidence."},
    {"abb9ab89-3d46-4a12-90eb-329a6176921d", ACT "-COMEDY", ACT, "Comedy and clowning",
     "Stand-up, clowning and laughter groups: play and humour as a way to connect."},
    {"52ddc3fc-a867-4ec9-963b-997494e05160", ACT "-FOOD", ACT, "Food and cooking",
     "Cooking and growing food together, community kitchens and shared meals with a "
     "creative or cultural side."},
    {"edcb26d8-878a-4dfa-90ae-b847bcc9d604", ACT "-MIXED", ACT, "Mixed arts",
     "Courses and groups that combine several art forms, such as arts on prescription "
     "programmes."},

    /* ---- needs addressed ---- */
    {"e5da9343-4503-4f7d-bd58-ca5897bc7c75", NEED "-LONELINESS", NEED, "Loneliness and isolation",
     "For people who feel lonely or cut off, and want company and a reason to get out."},
    {"0ca1f0b3-1fb1-46a3-b807-15c6f9a729f0", NEED "-MENTAL", NEED, "Mental wellbeing",
     "For people living with stress, anxiety, low mood or depression, or recovering "
     "from mental illness."},
    {"0b1ec666-56d1-4e41-bc2b-d5c7ae995193", NEED "-LTC", NEED, "Long-term conditions",
     "For people living with conditions such as COPD, diabetes, heart disease, cancer or "
     "stroke."},
    {"a7360cf7-898e-4640-a092-eafc62515fa9", NEED "-DEMENTIA", NEED, "Dementia",
     "For people living with dementia or memory loss, and those who care for them."},
    {"03c12270-1d28-450f-a20d-7fec49970c27", NEED "-YOUNG", NEED, "Young people",
     "For children and young people, including their emotional wellbeing and mental health."},
    {"7cf781f7-aee5-4e5f-9068-411b7704dcb6", NEED "-CARERS", NEED, "Carers",
     "For unpaid carers of family or friends: time for themselves, and support."},
    {"a3606550-6e6c-4d84-9fb6-931750acd2e6", NEED "-ACTIVE", NEED, "Physical activity",
     "For people who want to move more, get fitter or keep their strength and balance."},
    {"6d4217dd-f226-4285-a8b9-2dea7ecd638e", NEED "-PAIN", NEED, "Chronic pain",
     "For people living with persistent pain who want to manage it and live well."},
    {"8a12df01-edde-4aee-802c-d9c149c876fa", NEED "-BEREAVEMENT", NEED, "Bereavement",
     "For people who have lost someone close to them."},
    {"f318ace2-3eb4-4267-bbdb-41955c54eb09", NEED "-PERINATAL", NEED, "Perinatal and early years",
     "For expecting and new parents with their babies, including perinatal mental health."},
    {"f9800807-3c2e-41ec-bc6e-377385b528bf", NEED "-NEURODIVERGENT", NEED, "Neurodivergence",
     "For autistic people, people with ADHD or a learning disability, in settings that "
     "suit them."},
    {"9a72ebd7-c290-4565-9f82-0269ccc44ad4", NEED "-AGEING", NEED, "Healthy ageing",
     "For older people who want to stay well, independent and connected."},
    {"994fddc0-eb07-436c-a85b-b401984e2bdb", NEED "-NEURO", NEED, "Neurological conditions",
     "For people living with Parkinson's, multiple sclerosis, brain injury and other "
     "neurological conditions."},
    {"c0809433-3d8d-4193-92c6-4173b2b42b39", NEED "-SANCTUARY", NEED,
     "Refugees and people seeking sanctuary",
     "For refugees and people seeking asylum: welcome, language and belonging."},
};
/* clang-format on */
const size_t dir_ch_terms_len = sizeof dir_ch_terms / sizeof dir_ch_terms[0];

/* Bump when a term, name or description above changes: installed systems
 * then take the new text at their next start. */
#define TAXONOMY_SETTING "directory.taxonomy.version"
#define TAXONOMY_BUILD "1-2026-11"
#define OUTCODES_SETTING "directory.outcodes.version"
#define OUTCODES_BUILD "gibbs-uk-postcodes-2017"

/* The id of the shipped term with this code (see dir_builtin.h). */
const char *dir_ch_term_id(const char *code)
{
    for (size_t i = 0; i < dir_ch_terms_len; i++)
        if (strcmp(dir_ch_terms[i].code, code) == 0) return dir_ch_terms[i].id;
    return NULL;
}

/* Is settings key set to value? 1 yes, 0 no, or a STORE_E_* code. */
static int setting_is(struct ctx *c, const char *key, const char *value)
{
    store_stmt *st = store_prepare(c->db, "SELECT value FROM settings WHERE key = $1");
    if (!st) return STORE_E_ERROR;
    store_bindf(st, "t", key);
    int rc = store_step(st);
    int same = rc == STORE_ROW && strcmp(store_col_text(st, 0), value) == 0;
    store_done(st);
    return rc < 0 ? rc : same;
}

/* Set settings key to value (inside the caller's transaction). */
static long long setting_set(struct ctx *c, const char *key, const char *value)
{
    return store_run(c->db,
                     "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                     " updated_at = excluded.updated_at",
                     "ttt", key, value, c->now_iso);
}

/* The HSDS taxonomy_term object of shipped term t. Caller owns it. */
static json_t *term_json(const struct dir_ch_term *t)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_string(t->id));
    json_object_set_new(j, "code", json_string(t->code));
    json_object_set_new(j, "name", json_string(t->name));
    json_object_set_new(j, "description", json_string(t->description));
    if (t->parent) json_object_set_new(j, "parent_id", json_string(dir_ch_term_id(t->parent)));
    json_object_set_new(j, "taxonomy", json_string(DIR_CH_TAXONOMY_NAME));
    json_object_set_new(j, "taxonomy_id", json_string(DIR_CH_TAXONOMY_ID));
    return j;
}

/* Write the taxonomy and every term (the caller holds the transaction). */
static result install_taxonomy(struct ctx *c)
{
    json_t *tax = json_pack("{s:s, s:s, s:s, s:s}", "id", DIR_CH_TAXONOMY_ID, "name",
                            DIR_CH_TAXONOMY_NAME, "description",
                            "The Creative Health taxonomy chis ships: the kind of activity a "
                            "service offers, and the needs it addresses.",
                            "version", DIR_CH_TAXONOMY_VERSION);
    result res = dir_taxonomy_store(c, tax);
    json_decref(tax);
    for (size_t i = 0; res == RES_OK && i < dir_ch_terms_len; i++) {
        json_t *t = term_json(&dir_ch_terms[i]);
        res = dir_taxonomy_term_store(c, t);
        json_decref(t);
    }
    return res;
}

/* Install or bring up to date the shipped taxonomy (see directory.h), then
 * the outcode centroids. One settings read each when both are current. */
result dir_taxonomy_ensure(struct ctx *c)
{
    int rc = setting_is(c, TAXONOMY_SETTING, TAXONOMY_BUILD);
    if (rc < 0) return ctx_store_failure(c, rc, "reading the taxonomy's version");
    if (rc == 0) {
        if (store_begin(c->db) != 0)
            return ctx_store_failure(c, STORE_E_BUSY, "installing the taxonomy");
        result res = install_taxonomy(c);
        long long n = res == RES_OK ? setting_set(c, TAXONOMY_SETTING, TAXONOMY_BUILD) : 0;
        if (n < 0) res = ctx_store_failure(c, n, "recording the taxonomy's version");
        if (res != RES_OK) {
            store_rollback(c->db);
            return res;
        }
        if (store_commit(c->db) != 0)
            return ctx_store_failure(c, STORE_E_ERROR, "installing the taxonomy");
    }
    return dir_outcodes_ensure(c);
}

/* Load the built-in outcode centroids (see dir_builtin.h). */
result dir_outcodes_ensure(struct ctx *c)
{
    int rc = setting_is(c, OUTCODES_SETTING, OUTCODES_BUILD);
    if (rc < 0) return ctx_store_failure(c, rc, "reading the outcodes' version");
    if (rc == 1) return RES_OK;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "loading outcodes");
    long long n = 0;
    for (size_t i = 0; n >= 0 && i < dir_outcodes_len; i++)
        n = store_run(c->db,
                      "INSERT INTO outcodes (outcode, latitude, longitude) VALUES ($1, $2, $3)"
                      " ON CONFLICT (outcode) DO NOTHING",
                      "tdd", dir_outcodes[i].outcode, dir_outcodes[i].lat, dir_outcodes[i].lng);
    if (n >= 0) n = setting_set(c, OUTCODES_SETTING, OUTCODES_BUILD);
    if (n < 0) {
        store_rollback(c->db);
        return ctx_store_failure(c, n, "loading outcodes");
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "loading outcodes");
    return RES_OK;
}
