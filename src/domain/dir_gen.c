/*
 * dir_gen.c: deterministic synthetic directories (chis gen directory): see
 * dir_gen.h. Everything is drawn from one seeded generator in one order, so
 * the same seed gives the same organizations, services, ids, names, venues
 * and postcodes whatever the database already holds. The documents go
 * through dir_organization_store() and dir_service_store(), the same doors
 * an import uses, so the benchmark measures data stored the way real data
 * is.
 */
#include "domain/dir_gen.h"

#include "domain/dir_builtin.h"
#include "domain/directory.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* splitmix64 (Steele, Lea and Flood 2014): small, good and seedable. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform integer in [0, n) (n > 0); the modulo's bias is negligible. */
static long long below(uint64_t *rng, long long n)
{
    return (long long)(next_random(rng) % (uint64_t)n);
}

/* True percent times in a hundred. */
static bool chance(uint64_t *rng, int percent)
{
    return below(rng, 100) < percent;
}

#define LEN(a) ((long long)(sizeof a / sizeof a[0]))
#define PICK(rng, a) (a[below(rng, LEN(a))])

/* A UUID of version 4's shape drawn from the generator, into out. */
static const char *gen_uuid(uint64_t *rng, char out[37])
{
    uint64_t hi = next_random(rng), lo = next_random(rng);
    hi = (hi & ~0xf000ULL) | 0x4000ULL;       /* version 4 */
    lo = (lo & ~(3ULL << 62)) | (2ULL << 62); /* RFC 4122 variant */
    snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(hi >> 32),
             (unsigned)(hi >> 16) & 0xffffu, (unsigned)hi & 0xffffu, (unsigned)(lo >> 48),
             (unsigned long long)(lo & 0xffffffffffffULL));
    return out;
}

/* ---- word lists ---- */

/* An activity type: its shipped term, words for names, and a sentence. */
struct activity {
    const char *code;
    const char *nouns[4];
    const char *doing;
};

static const struct activity activities[] = {
    {"CH-ACT-MUSIC",
     {"Music", "Ukulele", "Drumming", "Songwriting"},
     "We make, play and listen to music together; no experience or instruments needed."},
    {"CH-ACT-SINGING",
     {"Singing", "Choir", "Harmony", "Sing-along"},
     "We sing well-known songs together for fun and for breath; you do not need to read a note."},
    {"CH-ACT-DANCE",
     {"Dance", "Seated Dance", "Movement", "Tea Dance"},
     "Gentle dance and movement at your own pace, seated or standing."},
    {"CH-ACT-VISUAL",
     {"Art", "Painting", "Drawing", "Printmaking"},
     "Painting, drawing and printmaking with a friendly artist; all materials are provided."},
    {"CH-ACT-CRAFTS",
     {"Craft", "Pottery", "Knit and Natter", "Woodwork"},
     "Making things by hand together: pottery, textiles, woodwork and more."},
    {"CH-ACT-DRAMA",
     {"Drama", "Theatre", "Improv", "Performance"},
     "Drama games, improvisation and performance that build confidence and friendships."},
    {"CH-ACT-WRITING",
     {"Creative Writing", "Poetry", "Storytelling", "Life Writing"},
     "Writing and sharing poems and stories in a supportive group."},
    {"CH-ACT-READING",
     {"Reading", "Shared Reading", "Book Club", "Stories Aloud"},
     "A short story or poem is read aloud and we talk about it; nobody has to read."},
    {"CH-ACT-HERITAGE",
     {"Heritage", "Museum", "Memories", "Local History"},
     "Objects, photographs and stories from museum collections and local history."},
    {"CH-ACT-NATURE",
     {"Gardening", "Nature", "Green Gym", "Allotment"},
     "Growing food and flowers, caring for green spaces and time outdoors in nature."},
    {"CH-ACT-FILM",
     {"Film", "Photography", "Cinema", "Film Making"},
     "Watching, making and talking about films and photographs."},
    {"CH-ACT-DIGITAL",
     {"Digital Art", "Animation", "Coding", "Game Design"},
     "Digital art, animation and game design on tablets and computers, which we lend."},
    {"CH-ACT-CIRCUS",
     {"Circus", "Juggling", "Circus Skills", "Aerial"},
     "Juggling, balance and circus skills for fun, fitness and confidence."},
    {"CH-ACT-COMEDY",
     {"Comedy", "Laughter", "Clowning", "Stand-up"},
     "Laughter, play and comedy games: a light-hearted way to connect."},
    {"CH-ACT-FOOD",
     {"Cooking", "Community Kitchen", "Food", "Baking"},
     "Cooking, baking and sharing food from many cultures together."},
    {"CH-ACT-MIXED",
     {"Arts on Prescription", "Creative Arts", "Arts and Crafts", "Creative"},
     "A mix of art forms over a course of sessions, led by professional artists."},
};

/* A need addressed: its term, words for names, the audience and ages. */
struct need {
    const char *code;
    const char *for_name; /* "Singing for ..." */
    const char *audience; /* "... for unpaid carers" */
    const char *sentence;
    int min_age, max_age; /* -1: none */
};

static const struct need needs[] = {
    {"CH-NEED-LONELINESS", "Making Friends", "anyone who feels lonely or isolated",
     "A warm welcome and a cup of tea for anyone who would like more company.", 18, -1},
    {"CH-NEED-MENTAL", "Wellbeing", "adults looking after their mental health",
     "It helps with stress, anxiety and low mood, in a relaxed and friendly setting.", 18, -1},
    {"CH-NEED-LTC", "Lung Health", "people living with long-term health conditions",
     "Shaped with health professionals for people living with conditions such as COPD.", 18, -1},
    {"CH-NEED-DEMENTIA", "Memory", "people living with dementia and their carers",
     "Dementia friendly: people living with dementia come with a family member or carer.", -1, -1},
    {"CH-NEED-YOUNG", "Young People", "young people aged 11 to 18",
     "Led by youth workers and artists, with young people choosing what we make.", 11, 18},
    {"CH-NEED-CARERS", "Carers", "unpaid carers",
     "Time for yourself if you look after someone; replacement care can be arranged.", 18, -1},
    {"CH-NEED-ACTIVE", "Active Living", "people who want to move more",
     "A gentle way to be more active and to build strength and balance.", 16, -1},
    {"CH-NEED-PAIN", "Living with Pain", "people living with chronic pain",
     "Paced for people living with persistent pain, with breaks whenever you need them.", 18, -1},
    {"CH-NEED-BEREAVEMENT", "Bereavement", "people who have been bereaved",
     "A gentle space for people who have lost someone close to them.", 18, -1},
    {"CH-NEED-PERINATAL", "Parents and Babies", "parents and carers with babies under two",
     "Bring your baby: for expecting and new parents and their little ones.", 16, -1},
    {"CH-NEED-NEURODIVERGENT", "Neurodivergent Adults", "neurodivergent adults",
     "Quiet, predictable sessions shaped with autistic people and people with ADHD.", 18, -1},
    {"CH-NEED-AGEING", "Over-60s", "people over 60",
     "For older people who want to stay active, well and connected.", 60, -1},
    {"CH-NEED-NEURO", "Parkinson's", "people living with Parkinson's and other conditions",
     "Led by artists trained to work with people living with Parkinson's, MS and stroke.", 18, -1},
    {"CH-NEED-SANCTUARY", "New Arrivals", "refugees and people seeking sanctuary",
     "A welcoming space for refugees and people seeking sanctuary; interpreters can be "
     "arranged.",
     16, -1},
};

static const char *const adjectives[] = {
    "Community", "Friendly",  "Open",          "Creative", "Wellbeing", "Inclusive",
    "Weekly",    "Beginners", "Neighbourhood", "Relaxed",  "Local",     "Welcoming",
};
static const char *const formats[] = {
    "Group", "Club", "Workshop", "Circle", "Sessions", "Course", "Drop-in", "Project", "Class",
};
static const char *const practical[] = {
    "Tea and biscuits are provided.",
    "All materials are provided.",
    "Refer yourself, or ask your GP or link worker to refer you.",
    "Step-free access and an accessible toilet.",
    "Carers and companions come free.",
    "Places are limited, so please book.",
    "Just turn up: no need to book.",
    "Free parking, and on a bus route.",
};
/* clang-format off */
static const char *const org_words[] = {
    "Community Arts", "Arts Trust", "Creative Collective", "Arts Project", "Heritage Trust",
    "Music Society", "Wellbeing Network", "Arts Partnership", "Creative Health CIC", "Arts Centre",
    "Community Garden", "Dance Company", "Youth Theatre", "Choir", "Men's Shed", "Museum Friends",
    "Green Health", "Writers", "Makers", "Film Club", "Arts and Minds", "Creative Wellbeing",
    "Festival Choir", "Heritage Volunteers", "Arts Forum", "Playhouse", "Art Studio",
    "Nature Trust", "Arts Alliance", "Culture Club", "Arts Trust CIC", "Print Studio",
};
/* clang-format on */
static const char *const saints[] = {"Mary",    "John",  "Peter",   "Andrew",  "Michael",
                                     "Anne",    "Luke",  "Mark",    "George",  "Paul",
                                     "Columba", "David", "Patrick", "Margaret"};
static const char *const streets[] = {
    "High Street",   "Church Lane",     "Station Road",  "Mill Lane",
    "Park Road",     "Victoria Street", "Queen Street",  "King Street",
    "Chapel Street", "Market Place",    "Bridge Street", "School Lane",
    "North Road",    "Albert Road",     "York Road",     "Manor Way",
};
static const char *const days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
static const char *const day_names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};
static const int opens_minutes[] = {9 * 60 + 30,  10 * 60, 10 * 60 + 30, 11 * 60,      13 * 60,
                                    13 * 60 + 30, 14 * 60, 18 * 60,      18 * 60 + 30, 19 * 60};
static const int durations[] = {60, 90, 90, 120, 120, 180};
/* Inward codes use these letters (not C, I, K, M, O or V). */
static const char inward_letters[] = "ABDEFGHJLNPQRSTUWXYZ";

/* ---- venues and postcodes ---- */

/* A place where an organization's services meet. */
struct venue {
    char id[37], address_id[37];
    char name[96], street[64], town[48];
    char postcode[9];  /* display form "HX1 2AB" */
    char key[9];       /* normalised: "HX12AB" */
    double lat, lng;   /* the venue's */
    double plat, plng; /* its postcode's centroid */
    bool used;         /* a service meets there */
    bool stored;       /* its postcode is in the table */
    bool written;      /* the location is stored: later services name it by id */
};

/* FNV-1a, for the coordinates of a postcode and the set of names. */
static uint64_t fnv(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/*
 * Where a synthetic postcode is: a point within about two kilometres of its
 * district's centroid that depends only on the postcode, so one drawn twice
 * is in the same place both times.
 */
static void postcode_point(const struct dir_outcode *o, const char *display, double *lat,
                           double *lng)
{
    uint64_t h = fnv(display);
    double u = (double)(h >> 40) / (double)(1ULL << 24);
    double v = (double)((h >> 16) & 0xffffff) / (double)(1ULL << 24);
    *lat = o->lat + (u - 0.5) * 0.04;
    *lng = o->lng + (v - 0.5) * 0.06;
}

/* Draw a venue in district o, with a synthetic postcode. */
static void make_venue(uint64_t *rng, const struct dir_outcode *o, struct venue *v)
{
    memset(v, 0, sizeof *v);
    gen_uuid(rng, v->id);
    gen_uuid(rng, v->address_id);
    snprintf(v->town, sizeof v->town, "%s", o->town);
    switch (below(rng, 7)) {
    case 0:
        snprintf(v->name, sizeof v->name, "%s Community Centre", o->town);
        break;
    case 1:
        snprintf(v->name, sizeof v->name, "St %s's Church Hall", PICK(rng, saints));
        break;
    case 2:
        snprintf(v->name, sizeof v->name, "%s Library", o->town);
        break;
    case 3:
        snprintf(v->name, sizeof v->name, "%s Museum", o->town);
        break;
    case 4:
        snprintf(v->name, sizeof v->name, "%s Arts Centre", o->town);
        break;
    case 5:
        snprintf(v->name, sizeof v->name, "%s Park Pavilion", o->town);
        break;
    default:
        snprintf(v->name, sizeof v->name, "The Old School Studios");
        break;
    }
    snprintf(v->street, sizeof v->street, "%lld %s", 1 + below(rng, 180), PICK(rng, streets));
    int digit = (int)below(rng, 10);
    char l1 = inward_letters[below(rng, LEN(inward_letters) - 1)];
    char l2 = inward_letters[below(rng, LEN(inward_letters) - 1)];
    snprintf(v->postcode, sizeof v->postcode, "%s %d%c%c", o->outcode, digit, l1, l2);
    snprintf(v->key, sizeof v->key, "%s%d%c%c", o->outcode, digit, l1, l2);
    postcode_point(o, v->postcode, &v->plat, &v->plng);
    /* The venue is a few doors from the postcode's centroid. */
    v->lat = v->plat + (double)(below(rng, 601) - 300) * 1e-6;
    v->lng = v->plng + (double)(below(rng, 601) - 300) * 1e-6;
}

/* Add the postcodes of the venues services have started to use to the
 * postcodes table (one already there is kept). 0, or a STORE_E_* code. */
static int store_postcodes(struct ctx *c, struct venue *venues, int n, struct dir_gen_result *out)
{
    for (int i = 0; i < n; i++) {
        struct venue *v = &venues[i];
        if (!v->used || v->stored) continue;
        long long rc = store_run(c->db,
                                 "INSERT INTO postcodes (postcode, latitude, longitude)"
                                 " VALUES ($1, $2, $3) ON CONFLICT (postcode) DO NOTHING",
                                 "tdd", v->key, v->plat, v->plng);
        if (rc < 0) return (int)rc;
        v->stored = true;
        out->postcodes += rc;
        out->locations++;
    }
    return 0;
}

/* The venue as an HSDS location with its address. Caller owns it. */
static json_t *venue_json(const struct venue *v)
{
    return json_pack("{s:s, s:s, s:s, s:f, s:f, s:[{s:s, s:s, s:s, s:s, s:s, s:s}]}", "id", v->id,
                     "location_type", "physical", "name", v->name, "latitude", v->lat, "longitude",
                     v->lng, "addresses", "id", v->address_id, "address_1", v->street, "city",
                     v->town, "postal_code", v->postcode, "country", "GB", "address_type",
                     "physical");
}

/* ---- names ---- */

/* A set of 64-bit name hashes, open addressing (0 = empty). */
struct name_set {
    uint64_t *slot;
    uint64_t mask;
};

/* Add the name's hash; false when it was there already. */
static bool name_set_add(struct name_set *s, const char *name)
{
    uint64_t h = fnv(name) | 1;
    for (uint64_t i = h >> 20;; i++) {
        uint64_t *p = &s->slot[i & s->mask];
        if (*p == h) return false;
        if (*p == 0) {
            *p = h;
            return true;
        }
    }
}

/* s in lower case into out (ASCII only: the word lists are). */
static const char *lower(const char *s, char *out, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
    return out;
}

/* ---- one organization and its services ---- */

struct org {
    char id[37], slug[64];
    char name[128];
    const struct dir_outcode *home;
    struct venue venues[3];
    int nvenues;
};

/* Draw an organization with a name no other generated one has and the
 * venues it uses, and store it (the venues go in with the services). */
static result make_org(struct ctx *c, uint64_t *rng, struct name_set *names, struct org *o,
                       struct dir_gen_result *out)
{
    gen_uuid(rng, o->id);
    o->home = &dir_outcodes[below(rng, (long long)dir_outcodes_len)];
    for (int tries = 0;; tries++) {
        const char *word = PICK(rng, org_words);
        if (tries < 6)
            snprintf(o->name, sizeof o->name, "%s %s", o->home->town, word);
        else
            snprintf(o->name, sizeof o->name, "%s %s %d", o->home->town, word, tries - 4);
        if (name_set_add(names, o->name)) break;
    }
    size_t k = 0;
    for (const char *p = o->name; *p && k + 1 < sizeof o->slug; p++)
        if (isalnum((unsigned char)*p))
            o->slug[k++] = (char)tolower((unsigned char)*p);
        else if (k && o->slug[k - 1] != '-')
            o->slug[k++] = '-';
    o->slug[k] = '\0';
    o->nvenues = 1 + (int)(chance(rng, 40)) + (int)(chance(rng, 15));
    for (int i = 0; i < o->nvenues; i++)
        make_venue(rng, o->home, &o->venues[i]);
    static const char *const kinds[] = {"registered charity", "registered charity",
                                        "community interest company", "community group"};
    const char *kind = PICK(rng, kinds);
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:s, s:s}", "id", o->id, "name", o->name, "description",
        arena_printf(c->a,
                     "%s is a %s running creative activities for health and wellbeing in and "
                     "around %s.",
                     o->name, kind, o->home->town),
        "email", arena_printf(c->a, "hello@%s.example.org", o->slug), "website",
        arena_printf(c->a, "https://%s.example.org", o->slug));
    result res = dir_organization_store(c, j, 0);
    json_decref(j);
    if (res == RES_OK) out->organizations++;
    return res;
}

/* The cost options of a service (most are free); sets *fees when paid. */
static json_t *cost_options(struct ctx *c, uint64_t *rng, const char **fees)
{
    char id[37];
    long long kind = below(rng, 100);
    gen_uuid(rng, id);
    *fees = NULL;
    if (kind < 60)
        return json_pack("[{s:s, s:s, s:s, s:i}]", "id", id, "option", "Free", "currency", "GBP",
                         "amount", 0);
    if (kind < 75)
        return json_pack("[{s:s, s:s, s:s}]", "id", id, "option", "Pay what you can",
                         "amount_description", "Pay what you can; nobody is turned away.");
    long long pounds = 2 + below(rng, 7);
    *fees = arena_printf(c->a, "£%lld a session; free for carers and companions.", pounds);
    return json_pack("[{s:s, s:s, s:s, s:I, s:s}]", "id", id, "option", "Per session", "currency",
                     "GBP", "amount", (json_int_t)pounds, "amount_description", *fees);
}

/* One or two weekly schedules. */
static json_t *schedules(struct ctx *c, uint64_t *rng)
{
    json_t *arr = json_array();
    int n = chance(rng, 20) ? 2 : 1;
    int day = (int)below(rng, 6); /* Sundays are rare: only as a second day */
    for (int i = 0; i < n; i++) {
        char id[37], opens[16], closes[16];
        gen_uuid(rng, id);
        int start = opens_minutes[below(rng, LEN(opens_minutes))];
        int end = start + durations[below(rng, LEN(durations))];
        snprintf(opens, sizeof opens, "%02d:%02d", start / 60, start % 60);
        snprintf(closes, sizeof closes, "%02d:%02d", end / 60, end % 60);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
                                             "freq", "WEEKLY", "wkst", "MO", "byday", days[day],
                                             "opens_at", opens, "closes_at", closes, "description",
                                             arena_printf(c->a, "Every %s, %s to %s",
                                                          day_names[day], opens, closes)));
        day = (day + 2 + (int)below(rng, 3)) % 7;
    }
    return arr;
}

/* Distinct random indices into [0, n): k of them, into out. */
static int distinct(uint64_t *rng, int n, int k, int *out)
{
    int got = 0;
    while (got < k) {
        int v = (int)below(rng, n), dup = 0;
        for (int i = 0; i < got; i++)
            dup |= out[i] == v;
        if (!dup) out[got++] = v;
    }
    return got;
}

/* Build the full document of one service of organization o. Caller owns it. */
static json_t *make_service(struct ctx *c, uint64_t *rng, struct org *o)
{
    char sid[37], buf[37], lo1[64], lo2[32];
    gen_uuid(rng, sid);
    int act[3], nd[2];
    int nact = distinct(rng, (int)LEN(activities), 1 + (int)below(rng, 3), act);
    int nneed = distinct(rng, (int)LEN(needs), 1 + (int)chance(rng, 40), nd);
    const struct activity *a = &activities[act[0]];
    const struct need *n = &needs[nd[0]];
    const char *noun = a->nouns[below(rng, 4)], *format = PICK(rng, formats);
    const char *adj = PICK(rng, adjectives);
    struct venue *v1 = &o->venues[below(rng, o->nvenues)];
    const char *name;
    switch (below(rng, 4)) {
    case 0:
        name = arena_printf(c->a, "%s %s %s", adj, noun, format);
        break;
    case 1:
        name = arena_printf(c->a, "%s for %s", noun, n->for_name);
        break;
    case 2:
        name = arena_printf(c->a, "%s %s %s", o->home->town, noun, format);
        break;
    default:
        name = arena_printf(c->a, "%s %s at %s", noun, format, v1->name);
        break;
    }
    const char *article = strchr("AEIOU", adj[0]) ? "An" : "A";
    const char *desc = arena_printf(c->a, "%s %s %s %s in %s for %s. %s %s %s", article,
                                    lower(adj, lo2, sizeof lo2), lower(noun, lo1, sizeof lo1),
                                    lower(format, buf, sizeof buf), o->home->town, n->audience,
                                    a->doing, n->sentence, PICK(rng, practical));
    const char *fees;
    json_t *costs = cost_options(c, rng, &fees);
    json_t *doc =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", sid, "organization_id", o->id, "name",
                  name, "description", desc, "status", "active", "application_process",
                  chance(rng, 50) ? "Refer yourself, or ask your link worker."
                                  : "Just turn up, or call us first if you prefer.");
    if (fees) json_object_set_new(doc, "fees_description", json_string(fees));
    int min = n->min_age, max = n->max_age;
    if (min == 18 && chance(rng, 15)) min = chance(rng, 50) ? 16 : -1;
    if (n->min_age == 60 && chance(rng, 40)) min = chance(rng, 50) ? 50 : 65;
    if (min >= 0) json_object_set_new(doc, "minimum_age", json_integer(min));
    if (max >= 0) json_object_set_new(doc, "maximum_age", json_integer(max));
    json_object_set_new(doc, "cost_options", costs);
    json_object_set_new(doc, "schedules", schedules(c, rng));
    json_object_set_new(doc, "phones",
                        json_pack("[{s:s, s:s}]", "id", gen_uuid(rng, buf), "number",
                                  arena_printf(c->a, "01632 960%03lld", below(rng, 1000))));
    json_t *sals = json_array();
    int nsal = o->nvenues > 1 && chance(rng, 25) ? 2 : 1;
    for (int i = 0; i < nsal; i++) {
        struct venue *v = i == 0 ? v1 : &o->venues[(v1 - o->venues + 1) % o->nvenues];
        v->used = true;
        /* A venue already stored is named by its id, as feeds do. */
        const char *sal_id = gen_uuid(rng, buf);
        json_array_append_new(
            sals, v->written ? json_pack("{s:s, s:s}", "id", sal_id, "location_id", v->id)
                             : json_pack("{s:s, s:o}", "id", sal_id, "location", venue_json(v)));
    }
    json_object_set_new(doc, "service_at_locations", sals);
    json_t *attrs = json_array();
    for (int i = 0; i < nact + nneed; i++) {
        const char *code = i < nact ? activities[act[i]].code : needs[nd[i - nact]].code;
        json_array_append_new(attrs, json_pack("{s:s, s:s}", "id", gen_uuid(rng, buf),
                                               "taxonomy_term_id", dir_ch_term_id(code)));
    }
    json_object_set_new(doc, "attributes", attrs);
    return doc;
}

/* ---- the whole directory ---- */

/* Milliseconds on a monotonic clock. */
static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Copy the reasons of a failure from the generator's scratch arena into the
 * caller's, so they outlive it. */
static void keep_errors(struct ctx *c, arena *into)
{
    c->detail = arena_strdup(into, c->detail);
    for (int i = 0; i < c->nerrors; i++) {
        c->errors[i].field = arena_strdup(into, c->errors[i].field);
        c->errors[i].message = arena_strdup(into, c->errors[i].message);
    }
}

/* Generate the directory (see dir_gen.h). */
result dir_generate(struct ctx *c, const struct dir_gen *g, struct dir_gen_result *out)
{
    memset(out, 0, sizeof *out);
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator generates data");
    if (g->services < 1 || g->services > 2000000) {
        ctx_field_error(c, "services", "Ask for between 1 and 2,000,000 services");
        return ctx_fail(c, RES_INVALID, "The size is not right.");
    }
    result res = dir_taxonomy_ensure(c);
    if (res != RES_OK) return res;
    uint64_t rng = g->seed;
    struct name_set names = {0};
    uint64_t cap = 64;
    while (cap < 2 * (uint64_t)g->services) /* at most one organization per service */
        cap <<= 1;
    names.slot = calloc(cap, sizeof *names.slot);
    if (!names.slot) return ctx_fail(c, RES_INTERNAL, "Out of memory");
    names.mask = cap - 1;
    /* Scratch memory for one service at a time, emptied after each. */
    arena *caller = c->a, *scratch = arena_new(1 << 16);
    c->a = scratch;
    struct dir_bulk *bulk = dir_bulk_begin(c);
    if (!bulk) {
        res = ctx_store_failure(c, STORE_E_BUSY, "generating a directory");
        goto done;
    }
    struct org o;
    long long left = 0;
    while (out->services < g->services) {
        double t0 = now_ms();
        if (left == 0) { /* a new organization with 1 to 9 services, about 5 */
            if ((res = make_org(c, &rng, &names, &o, out)) != RES_OK) break;
            left = 1 + below(&rng, 9);
            out->organizations_ms += now_ms() - t0;
            t0 = now_ms();
        }
        json_t *doc = make_service(c, &rng, &o);
        double t1 = now_ms();
        out->build_ms += t1 - t0;
        int rc = store_postcodes(c, o.venues, o.nvenues, out);
        if (rc < 0) {
            json_decref(doc);
            res = ctx_store_failure(c, rc, "adding a postcode");
            break;
        }
        out->organizations_ms += now_ms() - t1;
        t1 = now_ms();
        res = dir_service_store(c, doc, &(struct dir_write_opts){.bulk = bulk});
        json_decref(doc);
        out->services_ms += now_ms() - t1;
        if (res != RES_OK) break;
        for (int i = 0; i < o.nvenues; i++)
            o.venues[i].written = o.venues[i].used;
        out->services++;
        left--;
        arena_reset(scratch);
        if (g->progress && out->services % 5000 == 0)
            g->progress(g->ud, out->services, g->services);
    }
    if (res == RES_OK) {
        double t0 = now_ms();
        res = dir_bulk_flush(c, bulk);
        out->services_ms += now_ms() - t0;
    }
    double t0 = now_ms();
    result kept = dir_bulk_end(c, bulk, res == RES_OK);
    if (res == RES_OK) res = kept;
    out->commit_ms = now_ms() - t0;
done:
    if (res != RES_OK) {
        keep_errors(c, caller);
        struct dir_gen_result zero = {0};
        *out = zero;
    }
    c->a = caller;
    arena_free(scratch);
    free(names.slot);
    return res;
}
