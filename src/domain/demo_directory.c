/*
 * demo_directory.c: the demo system's Creative Health directory, all of it
 * fictional: services run by the demo's community organisations (the
 * choir, the men's sheds, the museum friends, the community garden ...),
 * each at a venue in one of the demo's neighbourhoods, with weekly
 * sessions, costs (most are free), ages and terms of the shipped taxonomy.
 *
 * The postcode areas RV, MO, AX and BQ are not in use in the UK, so the
 * demo's postcodes cannot be mistaken for real ones. Their coordinates are
 * invented but coherent: each neighbourhood has a centre, its postcodes lie
 * within a few hundred metres of it, and the neighbourhoods of one place lie
 * close together (Riverside City and Brookfield Borough are urban and
 * compact, Moorland Dales spreads over the hills, Axleigh and Saltmarsh
 * runs along the coast). The postcodes and their districts go into the
 * postcodes and outcodes tables, so a search near "RV2 4SN" or "MO4" works.
 * Each neighbourhood is one invented LSOA, X01000001 to X01000020 (real
 * codes start E01 or W01), which its postcodes carry and neighbourhood_lsoas
 * places in it: a demo participant's postcode places them.
 *
 * Published services are written as the operator, the way an import is.
 * Then the demo provider (who works for Northgate Community Choir) proposes
 * two new services and a change to a published one, through the same
 * editing calls the web pages use, so the approval queue has work in it.
 *
 * Ids are UUIDs made from the names (the same in every demo database).
 */
#include "domain/demo_directory.h"

#include "domain/demo_data.h"
#include "domain/dir_builtin.h"
#include "domain/dir_edit.h"
#include "domain/directory.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define A(x) "CH-ACT-" x
#define N(x) "CH-NEED-" x
#define NONE (-1)

/* Where each demo neighbourhood is (demo_neighbourhoods order): its main
 * postcode district and its centre. */
static const struct {
    const char *outcode;
    double lat, lng;
} hoods[] = {
    /* Riverside City: a compact city on the River Aln */
    {"RV2", 53.9720, -1.9520}, /* 0 Northgate and Millbrook */
    {"RV1", 53.9550, -1.9450}, /* 1 Riverside Central */
    {"RV5", 53.9480, -1.9180}, /* 2 Docklands and St Anne's */
    {"RV6", 53.9620, -1.9150}, /* 3 Eastfield and Hollins */
    {"RV7", 53.9440, -1.9780}, /* 4 Westbury Park */
    /* Moorland Dales: market towns and villages over the hills */
    {"MO7", 54.3100, -2.1800}, /* 5 Upper Dale */
    {"MO4", 54.2620, -2.0950}, /* 6 Kirkmoor and Fellside */
    {"MO6", 54.2250, -2.0200}, /* 7 Moorland Market Towns */
    {"MO8", 54.2050, -2.1400}, /* 8 Thornby and Ashworth */
    {"MO9", 54.1800, -2.0600}, /* 9 Low Moor and Hebbleton */
    /* Axleigh and Saltmarsh: along the coast */
    {"AX6", 54.2920, -0.4200}, /* 10 Saltmarsh Harbour */
    {"AX1", 54.2800, -0.4000}, /* 11 Axleigh Town */
    {"AX4", 54.2620, -0.3850}, /* 12 Seacombe and Marshfield */
    {"AX7", 54.3000, -0.4550}, /* 13 Westcliff and Dunmere */
    {"AX9", 54.2550, -0.4700}, /* 14 Axleigh Rural */
    /* Brookfield Borough: canal and mining communities */
    {"BQ1", 53.8050, -1.7600}, /* 15 Brookfield Central */
    {"BQ5", 53.7900, -1.7900}, /* 16 Greenhill and Oakwood */
    {"BQ3", 53.7980, -1.7350}, /* 17 Canal Side */
    {"BQ7", 53.7820, -1.7500}, /* 18 Hartley Green */
    {"BQ6", 53.8220, -1.7720}, /* 19 Brookfield North and Colliers */
};

/* One demo service. */
struct demo_service {
    int org, hood; /* demo_orgs and demo_neighbourhoods indices */
    const char *name, *description;
    const char *terms[5]; /* shipped term codes, NULL-terminated */
    const char *byday, *opens, *closes;
    int interval;         /* weeks between sessions; 0 or 1: every week */
    int pounds;           /* a session; 0: free */
    int min_age, max_age; /* NONE: no limit */
    const char *venue, *street, *postcode;
    const char *eligibility; /* or NULL */
};

/* clang-format off */
static const struct demo_service services[] = {
    {16, 0, "Northgate Community Choir",
     "A friendly community choir: no auditions and no need to read music. We sing pop, folk and "
     "gospel, and perform twice a year.",
     {A("SINGING"), N("LONELINESS"), N("MENTAL"), NULL}, "WE", "19:00", "21:00", 0, 0, 16, NONE,
     "St Mark's Church Hall", "Northgate Road", "RV2 4SN", NULL},
    {16, 0, "Singing for the Brain at St Mark's",
     "Songs everyone knows, warm-ups and a cup of tea, for people living with dementia and the "
     "people who care for them.",
     {A("SINGING"), N("DEMENTIA"), N("CARERS"), NULL}, "TU", "10:30", "12:00", 0, 0, NONE, NONE,
     "St Mark's Church Hall", "Northgate Road", "RV2 4SN",
     "People living with dementia come with a family member, friend or carer."},
    {17, 3, "Arts on Prescription: Eight-Week Course",
     "Eight weekly sessions with professional artists: drawing, printmaking, collage and clay, in "
     "a small group. Referred by a GP, link worker or mental health team.",
     {A("MIXED"), A("VISUAL"), N("MENTAL"), N("LONELINESS"), NULL}, "TH", "13:30", "15:30", 0, 0,
     18, NONE, "The Mill Studios", "Unit 4, Canal Street", "RV4 2NS",
     "Adults referred by a GP, link worker or community mental health team."},
    {17, 3, "Open Studio for Arts on Prescription Graduates",
     "A weekly open studio for people who have finished an Arts on Prescription course, to keep "
     "making and stay in touch.",
     {A("VISUAL"), A("CRAFTS"), N("MENTAL"), NULL}, "FR", "10:00", "12:30", 0, 2, 18, NONE,
     "The Mill Studios", "Unit 4, Canal Street", "RV4 2NS", NULL},
    {18, 2, "Docklands Community Garden Volunteer Mornings",
     "Grow vegetables, fruit and flowers in the old timber yard, with tea round the fire pit. "
     "Tools, gloves and guidance provided.",
     {A("NATURE"), A("FOOD"), N("LONELINESS"), N("ACTIVE"), NULL}, "TU,SA", "10:00", "13:00", 0,
     0, 16, NONE, "Docklands Community Garden", "Old Timber Yard, Basin Road", "RV5 3BT", NULL},
    {18, 2, "Grow, Cook and Eat for Families",
     "Families pick what is ready in the garden and cook it together over the fire, then eat "
     "together.",
     {A("FOOD"), A("NATURE"), N("YOUNG"), NULL}, "SA", "14:00", "16:00", 0, 0, 5, 16,
     "Docklands Community Garden", "Old Timber Yard, Basin Road", "RV5 3BT",
     "Children come with a parent or carer."},
    {19, 1, "Museum Memories Morning",
     "A dementia-friendly morning in the museum before it opens: handling objects, old "
     "photographs and films of Riverside, and a chat over coffee.",
     {A("HERITAGE"), N("DEMENTIA"), N("CARERS"), N("AGEING"), NULL}, "MO", "10:00", "11:30", 0,
     0, NONE, NONE, "Riverside Museum", "Exchange Square", "RV1 3EX", NULL},
    {19, 1, "Object Handling for Wellbeing",
     "Small groups explore objects from the museum's stores with a curator: a calm, curious hour "
     "away from everyday worries.",
     {A("HERITAGE"), N("MENTAL"), N("LONELINESS"), NULL}, "TH", "14:00", "15:30", 0, 0, 18, NONE,
     "Riverside Museum", "Exchange Square", "RV1 3EX", NULL},
    {20, 0, "Millbrook Men's Shed",
     "A workshop where men (and anyone else) make, mend and chat: woodwork, bike repairs and "
     "projects for the community.",
     {A("CRAFTS"), N("LONELINESS"), N("MENTAL"), NULL}, "MO,WE,FR", "09:30", "13:00", 0, 2, 18,
     NONE, "Millbrook Men's Shed", "Rear of 22 Foundry Lane", "RV2 9FL", NULL},
    {21, 1, "Dance for Parkinson's",
     "Dance classes led by trained dance artists for people living with Parkinson's, their "
     "partners and friends. Seated and standing, live music.",
     {A("DANCE"), N("NEURO"), N("ACTIVE"), NULL}, "TH", "11:00", "12:30", 0, 0, 18, NONE,
     "Aln Dance House", "7 Theatre Street", "RV1 5TD", NULL},
    {21, 1, "Seated Dance for Over-60s",
     "Gentle dance to music from the fifties to today, mostly seated, to keep moving and meet "
     "people.",
     {A("DANCE"), N("AGEING"), N("ACTIVE"), NULL}, "TU", "14:00", "15:00", 0, 3, 60, NONE,
     "Aln Dance House", "7 Theatre Street", "RV1 5TD", NULL},
    {22, 2, "St Anne's Creative Writing Circle",
     "Short writing exercises, poems and stories, shared if you want to. Beginners very welcome.",
     {A("WRITING"), N("MENTAL"), N("LONELINESS"), NULL}, "WE", "18:30", "20:00", 0, 0, 16, NONE,
     "St Anne's Community Library", "Bridge Street", "RV5 6BS", NULL},
    {22, 2, "Shared Reading at St Anne's Library",
     "A story and a poem read aloud, then talked about. Nobody has to read or speak.",
     {A("READING"), N("LONELINESS"), N("AGEING"), NULL}, "FR", "10:30", "12:00", 0, 0, 18, NONE,
     "St Anne's Community Library", "Bridge Street", "RV5 6BS", NULL},
    {23, 3, "Pumping Station Heritage Volunteering",
     "Help restore and show visitors round the Victorian pumping station: cleaning, research, "
     "guiding and gardening.",
     {A("HERITAGE"), A("NATURE"), N("LONELINESS"), N("MENTAL"), NULL}, "SA", "10:00", "15:00", 0,
     0, 16, NONE, "Hollins Pumping Station", "Reservoir Lane", "RV6 2RL", NULL},
    {24, 3, "New Voices Art Club",
     "Painting, music and conversation for refugees and people seeking asylum. Interpreters for "
     "Arabic, Farsi and Ukrainian.",
     {A("VISUAL"), A("MUSIC"), N("SANCTUARY"), N("MENTAL"), NULL}, "WE", "13:00", "15:30", 0, 0,
     16, NONE, "Alma Road Studio", "First Floor, 31 Alma Road", "RV4 8AR", NULL},
    {24, 3, "Songs from Home",
     "Families share songs, rhymes and instruments from home and learn each other's.",
     {A("MUSIC"), A("SINGING"), N("SANCTUARY"), N("YOUNG"), NULL}, "SA", "11:00", "12:30", 0, 0,
     NONE, NONE, "Alma Road Studio", "First Floor, 31 Alma Road", "RV4 8AR", NULL},
    {25, 4, "Photo Walks in Westbury Park",
     "An easy walk round the park with a photographer, noticing and photographing nature; phones "
     "are fine.",
     {A("FILM"), A("NATURE"), N("ACTIVE"), N("MENTAL"), NULL}, "SU", "10:00", "11:30", 0, 0, 16,
     NONE, "Westbury Park Pavilion", "Park Drive", "RV7 1PD", NULL},
    {26, 6, "Green Prescription: Conservation Days",
     "Dry-stone walling, hedge laying and tree planting with the ranger team; transport from "
     "Kirkmoor market place.",
     {A("NATURE"), N("MENTAL"), N("ACTIVE"), NULL}, "TH", "10:00", "15:00", 0, 0, 18, NONE,
     "Low Farm Barn", "Low Farm, Kirkmoor", "MO4 6LF", NULL},
    {27, 6, "Singing for Lung Health",
     "Breathing exercises and songs, led by a trained singing leader, for people living with "
     "COPD and other lung conditions.",
     {A("SINGING"), N("LTC"), NULL}, "TU", "14:00", "15:30", 0, 0, 18, NONE,
     "Kirkmoor Methodist Hall", "High Street, Kirkmoor", "MO4 2HS", NULL},
    {28, 6, "Fellside Men's Shed",
     "Woodwork, repairs and a brew in the village hall workshop. Donations welcome.",
     {A("CRAFTS"), N("LONELINESS"), N("AGEING"), NULL}, "TU,TH", "10:00", "14:00", 0, 0, 18,
     NONE, "Fellside Village Hall", "Back Lane, Fellside", "MO5 3BL", NULL},
    {29, 9, "Lead Mining Memories",
     "Old photographs, tools and stories of the lead mines, recorded for the archive by the "
     "people who remember them.",
     {A("HERITAGE"), A("WRITING"), N("AGEING"), N("LONELINESS"), NULL}, "WE", "10:30", "12:00",
     0, 0, NONE, NONE, "Lead Mines Visitor Centre", "Mill Road, Hebbleton", "MO9 1LN", NULL},
    {30, 5, "Upper Dale Landscape Painting",
     "Painting the dale in watercolour, outdoors when fine and in the reading room when not.",
     {A("VISUAL"), A("NATURE"), N("LONELINESS"), N("AGEING"), NULL}, "MO", "13:30", "16:00", 0,
     4, 18, NONE, "The Reading Room", "Main Street, Upper Dale", "MO7 4RR", NULL},
    {30, 5, "Rural Touring Theatre Club",
     "See the touring shows at the village hall together, with a lift there and a chat after.",
     {A("DRAMA"), N("LONELINESS"), NULL}, "TH", "19:00", "21:30", 2, 0, 16, NONE,
     "The Reading Room", "Main Street, Upper Dale", "MO7 4RR", NULL},
    {31, 8, "Thornby Craft and Chat",
     "Knitting, sewing and crochet round a big table; bring your own project or start one.",
     {A("CRAFTS"), N("LONELINESS"), N("CARERS"), NULL}, "WE", "13:30", "15:30", 0, 1, NONE, NONE,
     "Thornby Parish Rooms", "Green Lane, Thornby", "MO8 2GL", NULL},
    {32, 6, "Dementia Friendly Film Screenings",
     "Classic films with the lights up a little, the sound down a little, and an interval with "
     "tea and cake. Carers come free.",
     {A("FILM"), N("DEMENTIA"), N("CARERS"), NULL}, "TU", "14:00", "16:30", 0, 3, NONE, NONE,
     "The Regal", "3 Market Place, Kirkmoor", "MO4 3RG", NULL},
    {33, 8, "Forest Bathing and Nature Connection",
     "Slow, mindful walks in Ashworth woods, noticing with all the senses. Gentle pace, short "
     "distances.",
     {A("NATURE"), N("MENTAL"), N("PAIN"), NULL}, "SA", "10:00", "12:00", 0, 5, 18, NONE,
     "Hawthorn Cottage", "Moor Road, Ashworth", "MO8 6HR", NULL},
    {34, 9, "Hebbleton Allotment Growing Group",
     "Shared plots, seeds and know-how; take home what you grow.",
     {A("NATURE"), A("FOOD"), N("LONELINESS"), N("ACTIVE"), NULL}, "WE,SA", "10:00", "12:00", 0,
     0, NONE, NONE, "Hebbleton Community Allotments", "Mill Race Lane, Hebbleton", "MO9 4AH",
     NULL},
    {35, 10, "Harbour Print Club",
     "Lino and screen printing in the net loft, inspired by the harbour.",
     {A("VISUAL"), N("LONELINESS"), NULL}, "TH", "10:00", "12:30", 0, 3, 18, NONE,
     "The Net Loft", "Harbour Walk, Saltmarsh", "AX6 1NL", NULL},
    {35, 10, "Youth Film Makers",
     "Make short films about Saltmarsh with professional film makers, on phones and cameras we "
     "lend.",
     {A("FILM"), A("DIGITAL"), N("YOUNG"), NULL}, "FR", "16:30", "18:30", 0, 0, 11, 18,
     "The Net Loft", "Harbour Walk, Saltmarsh", "AX6 1NL", NULL},
    {36, 11, "Sea Shanty Sing-along",
     "Rousing shanties and sea songs; words provided, all voices welcome.",
     {A("SINGING"), A("HERITAGE"), N("LONELINESS"), N("AGEING"), NULL}, "MO", "19:30", "21:00",
     0, 0, 18, NONE, "The Anchor Inn", "1 Quay Street, Axleigh", "AX1 5QS", NULL},
    {37, 11, "Creative Minds: Art for Recovery",
     "Art sessions for adults recovering from mental illness, run with the community mental "
     "health team.",
     {A("MIXED"), A("VISUAL"), N("MENTAL"), NULL}, "WE", "10:00", "12:00", 0, 0, 18, NONE,
     "The Old Lifeboat Station", "Studio 2, Lifeboat Slipway, Axleigh", "AX3 2LB", NULL},
    {38, 12, "Beach Clean and Nature Walk",
     "Clean the beach, then look for birds, seals and rock-pool life with a naturalist.",
     {A("NATURE"), N("ACTIVE"), N("MENTAL"), NULL}, "SU", "10:00", "12:00", 0, 0, NONE, NONE,
     "Seacombe Beach Hut 14", "The Promenade, Seacombe", "AX4 7PB", NULL},
    {39, 11, "Museum on Prescription",
     "Ten weeks of behind-the-scenes museum sessions for people referred by a link worker.",
     {A("HERITAGE"), A("VISUAL"), N("MENTAL"), N("LONELINESS"), NULL}, "TU", "10:30", "12:30", 0,
     0, 18, NONE, "Axleigh Museum", "Custom House Lane, Axleigh", "AX1 3DH",
     "Adults referred by a link worker or GP."},
    {40, 12, "Marshfield Youth Theatre",
     "Drama games, devising and a show every term, for young people of all abilities.",
     {A("DRAMA"), N("YOUNG"), NULL}, "TH", "17:00", "19:00", 0, 2, 11, 18,
     "Marshfield Community Centre", "School Road, Marshfield", "AX5 2SR", NULL},
    {41, 13, "Clay for Calm: Pottery for Wellbeing",
     "Hand-building and the wheel in a quiet studio; firing and glazes included.",
     {A("CRAFTS"), N("MENTAL"), N("PAIN"), NULL}, "MO", "18:00", "20:00", 0, 6, 18, NONE,
     "Cliff Top Workshops", "Unit 1, Cliff Road, Westcliff", "AX7 3DW", NULL},
    {42, 10, "Storytelling by the Harbour",
     "Stories of the sea, told and made up together, for children and the grown-ups with them.",
     {A("WRITING"), A("READING"), N("YOUNG"), N("LONELINESS"), NULL}, "SA", "10:30", "11:30", 0,
     0, NONE, NONE, "Saltmarsh Library", "Chapel Street, Saltmarsh", "AX6 5DS", NULL},
    {43, 13, "Walled Garden Therapeutic Gardening",
     "Therapeutic horticulture in a Victorian walled garden, with raised beds for those who "
     "cannot kneel.",
     {A("NATURE"), N("MENTAL"), N("LTC"), NULL}, "TU,FR", "10:00", "13:00", 0, 0, 18, NONE,
     "Dunmere Hall Walled Garden", "Dunmere Hall, Dunmere", "AX8 1WG", NULL},
    {44, 15, "Brookfield Open Art Studio",
     "Drop in to paint, draw or make digital art with artists on hand; a quiet room is "
     "available.",
     {A("VISUAL"), A("DIGITAL"), N("MENTAL"), N("NEURODIVERGENT"), NULL}, "WE", "14:00", "16:30",
     0, 0, 16, NONE, "The Wharf Building", "5 Towpath Row, Brookfield", "BQ2 1TR", NULL},
    {45, 17, "Orchard Volunteering and Apple Pressing",
     "Prune, plant and harvest the community orchard; press apple juice in the autumn.",
     {A("NATURE"), A("FOOD"), N("LONELINESS"), N("ACTIVE"), NULL}, "SA", "10:00", "13:00", 0, 0,
     NONE, NONE, "Canal Side Community Orchard", "Orchard Gate, Lock Lane", "BQ3 2LL", NULL},
    {46, 16, "Greenhill Memory Singers",
     "A singing group for people living with memory loss and their families: songs from every "
     "decade.",
     {A("SINGING"), N("DEMENTIA"), N("CARERS"), NULL}, "MO", "14:00", "15:30", 0, 0, NONE, NONE,
     "Greenhill Baptist Church Hall", "Hill Road, Greenhill", "BQ5 4HR", NULL},
    {47, 15, "Dance Well: Dance for Everyone",
     "Contemporary dance for people living with Parkinson's, stroke, MS or frailty, and anyone "
     "who wants to move.",
     {A("DANCE"), N("NEURO"), N("ACTIVE"), N("AGEING"), NULL}, "FR", "11:00", "12:00", 0, 3, 18,
     NONE, "Brookfield Leisure Centre Studio", "Pit Lane, Brookfield", "BQ1 7PL", NULL},
    {48, 19, "Mining Memories Reminiscence Group",
     "Memories of the pits and pit villages, shared with photographs, songs and objects.",
     {A("HERITAGE"), N("DEMENTIA"), N("AGEING"), NULL}, "TH", "10:00", "11:30", 0, 0, NONE, NONE,
     "Old Pithead Baths", "Colliers Row, Brookfield", "BQ6 2DR", NULL},
    {49, 16, "Oakwood Men's Shed",
     "A shed full of tools and good company: make, mend, and talk if you want to.",
     {A("CRAFTS"), N("LONELINESS"), N("BEREAVEMENT"), NULL}, "TU,TH", "09:30", "13:00", 0, 2, 18,
     NONE, "Oakwood Business Park", "Workshop 3, Oakwood Way", "BQ5 8WB", NULL},
    {50, 15, "Asian Women's Craft and Chat",
     "Sewing, embroidery and cooking together in Urdu, Punjabi and English.",
     {A("CRAFTS"), A("FOOD"), N("LONELINESS"), N("CARERS"), NULL}, "WE", "10:30", "12:30", 0, 0,
     18, NONE, "Brookfield Community Hub", "60 Station Road, Brookfield", "BQ2 5SR",
     "Women only."},
    {51, 18, "Photography for Wellbeing",
     "A six-week course: learn to see and photograph your neighbourhood, then show your work.",
     {A("FILM"), N("MENTAL"), N("NEURODIVERGENT"), NULL}, "MO", "18:30", "20:30", 0, 4, 16, NONE,
     "The Darkroom", "18 Green Lane, Hartley Green", "BQ7 3GL", NULL},
    {52, 17, "Spoken Word Open Mic",
     "Poetry, rap and comedy: read your own or just listen.",
     {A("WRITING"), A("COMEDY"), N("MENTAL"), NULL}, "TH", "19:30", "22:00", 0, 0, 16, NONE,
     "The Canal Tavern", "Wharf Road, Brookfield", "BQ3 9WR", NULL},
    {56, 3, "Rovers Memories: Football Reminiscence",
     "Programmes, shirts and stories from a century of the Rovers, over a cuppa at the ground.",
     {A("HERITAGE"), N("DEMENTIA"), N("LONELINESS"), NULL}, "WE", "14:00", "15:30", 0, 0, NONE,
     NONE, "Aln Road Stadium", "Aln Road, Riverside", "RV6 8AS", NULL},
    {57, 11, "Baby Rhyme Time",
     "Songs, rhymes and stories for babies and toddlers with their grown-ups.",
     {A("READING"), A("MUSIC"), N("PERINATAL"), NULL}, "WE", "10:00", "10:45", 0, 0, NONE, 4,
     "Axleigh Central Library", "Queen Street, Axleigh", "AX1 6QS", NULL},
};

/* What the demo provider (Northgate Community Choir) proposes. */
static const struct demo_service proposals[DEMO_DIR_PENDING_NEW] = {
    {16, 0, "Choir for New Parents",
     "Bring your baby and sing: lullabies, pop and folk, with time for tea and a chat. Babies "
     "welcome to join in.",
     {A("SINGING"), N("PERINATAL"), N("MENTAL"), NULL}, "FR", "10:00", "11:00", 0, 0, 16, NONE,
     "St Mark's Church Hall", "Northgate Road", "RV2 4SN", NULL},
    {16, 0, "Northgate Youth Choir",
     "Singing, beatboxing and songwriting for young people, with a concert every term.",
     {A("SINGING"), A("MUSIC"), N("YOUNG"), NULL}, "MO", "17:00", "18:00", 0, 0, 11, 18,
     "Millbrook Youth Centre", "Foundry Lane", "RV2 9YC", NULL},
};
/* clang-format on */

const size_t demo_dir_services_len = sizeof services / sizeof services[0];

/* A UUID of version 4's shape made from key (the same key, the same id). */
static const char *demo_uuid(struct ctx *c, const char *kind, const char *key)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const char *p = kind; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
    uint64_t w[2];
    for (int i = 0; i < 2; i++) { /* splitmix64 steps */
        uint64_t z = (h += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        w[i] = z ^ (z >> 31);
    }
    w[0] = (w[0] & ~0xf000ULL) | 0x4000ULL;
    w[1] = (w[1] & ~(3ULL << 62)) | (2ULL << 62);
    return arena_printf(c->a, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(w[0] >> 32),
                        (unsigned)(w[0] >> 16) & 0xffffu, (unsigned)w[0] & 0xffffu,
                        (unsigned)(w[1] >> 48), (unsigned long long)(w[1] & 0xffffffffffffULL));
}

/* The point of a demo postcode: within a few hundred metres of its
 * neighbourhood's centre, fixed by the postcode. */
static void postcode_point(int hood, const char *postcode, double *lat, double *lng)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const char *p = postcode; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
    double u = (double)(h >> 40) / (double)(1ULL << 24);
    double v = (double)((h >> 16) & 0xffffff) / (double)(1ULL << 24);
    *lat = hoods[hood].lat + (u - 0.5) * 0.012;
    *lng = hoods[hood].lng + (v - 0.5) * 0.018;
}

/* The ids of the demo's structure, looked up by name and code. */
struct ids {
    long long place[8], hood[32];
};

/* One id by a text key; RES_INTERNAL naming what is missing. */
static result find(struct ctx *c, long long *out, const char *sql, const char *key)
{
    int rc = store_query_int(c->db, out, sql, "t", key);
    if (rc == 1) return RES_OK;
    if (rc < 0) return ctx_store_failure(c, rc, "demo directory lookup");
    return ctx_fail(c, RES_INTERNAL, "The demo has no '%s'", key);
}

/* The invented LSOA code of demo neighbourhood hood (in c->a). */
static const char *hood_lsoa(struct ctx *c, int hood)
{
    return arena_printf(c->a, "X01%06d", hood + 1);
}

/* Add a demo postcode (in its neighbourhood's LSOA) and its district to the
 * postcode tables. */
static result add_postcode(struct ctx *c, int hood, const char *postcode, double lat, double lng)
{
    char key[16], display[16];
    bool outcode;
    if (postcode_normalise(postcode, key, display, &outcode) != 0 || outcode)
        return ctx_fail(c, RES_INTERNAL, "The demo postcode '%s' is malformed", postcode);
    long long n = store_run(c->db,
                            "INSERT INTO postcodes (postcode, latitude, longitude, lsoa)"
                            " VALUES ($1, $2, $3, $4) ON CONFLICT (postcode) DO NOTHING",
                            "tddt", key, lat, lng, hood_lsoa(c, hood));
    key[strlen(key) - 3] = '\0';
    /* A district's centroid: its neighbourhood's centre (the first one seen). */
    if (n >= 0)
        n = store_run(c->db,
                      "INSERT INTO outcodes (outcode, latitude, longitude) VALUES ($1, $2, $3)"
                      " ON CONFLICT (outcode) DO NOTHING",
                      "tdd", key, hoods[hood].lat, hoods[hood].lng);
    return n < 0 ? ctx_store_failure(c, n, "adding a demo postcode") : RES_OK;
}

/* The directory organization of demo organisation i, stored and linked. */
static result store_org(struct ctx *c, int i, const char **id_out)
{
    const struct demo_org *d = &demo_orgs[i];
    long long chis_id;
    result res = find(c, &chis_id, "SELECT id FROM organisations WHERE name = $1", d->name);
    if (res != RES_OK) return res;
    const char *id = demo_uuid(c, "org", d->name);
    const char *where = demo_places[d->places[0]].name;
    json_t *org = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "name", d->name, "description",
                            arena_printf(c->a,
                                         "%s offers creative activities for health and wellbeing"
                                         " in %s.",
                                         d->name, where),
                            "email", d->email, "website", d->website);
    res = dir_organization_store(c, org, chis_id);
    json_decref(org);
    *id_out = id;
    return res;
}

/* The full HSDS document of demo service s. Caller owns it. */
static json_t *service_doc(struct ctx *c, const struct demo_service *s, const char *org_id,
                           const struct ids *ids)
{
    const struct demo_org *d = &demo_orgs[s->org];
    const char *sid = demo_uuid(c, "service", s->name);
    const char *loc_key = arena_printf(c->a, "%s/%s", d->name, s->venue);
    double lat, lng;
    postcode_point(s->hood, s->postcode, &lat, &lng);
    json_t *loc =
        json_pack("{s:s, s:s, s:s, s:f, s:f, s:I, s:I, s:[{s:s, s:s, s:s, s:s, s:s, s:s, s:s}]}",
                  "id", demo_uuid(c, "location", loc_key), "location_type", "physical", "name",
                  s->venue, "latitude", lat, "longitude", lng, "place_id",
                  (json_int_t)ids->place[demo_neighbourhoods[s->hood].place], "neighbourhood_id",
                  (json_int_t)ids->hood[s->hood], "addresses", "id",
                  demo_uuid(c, "address", loc_key), "address_1", s->street, "city",
                  demo_places[demo_neighbourhoods[s->hood].place].name, "state_province", "England",
                  "postal_code", s->postcode, "country", "GB", "address_type", "physical");
    const char *days = s->byday;
    json_t *sched = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                              demo_uuid(c, "schedule", s->name), "freq", "WEEKLY", "wkst", "MO",
                              "byday", days, "opens_at", s->opens, "closes_at", s->closes);
    if (s->interval > 1) json_object_set_new(sched, "interval", json_integer(s->interval));
    json_object_set_new(sched, "description",
                        json_string(arena_printf(c->a, "%s %s to %s",
                                                 s->interval > 1 ? "Every other week:" : "Weekly:",
                                                 s->opens, s->closes)));
    json_t *cost =
        s->pounds ? json_pack("{s:s, s:s, s:s, s:i, s:s}", "id", demo_uuid(c, "cost", s->name),
                              "option", "Per session", "currency", "GBP", "amount", s->pounds,
                              "amount_description", arena_printf(c->a, "£%d a session", s->pounds))
                  : json_pack("{s:s, s:s, s:s, s:i}", "id", demo_uuid(c, "cost", s->name), "option",
                              "Free", "currency", "GBP", "amount", 0);
    json_t *attrs = json_array();
    for (int i = 0; s->terms[i]; i++)
        json_array_append_new(attrs,
                              json_pack("{s:s, s:s}", "id", demo_uuid(c, s->terms[i], s->name),
                                        "taxonomy_term_id", dir_ch_term_id(s->terms[i])));
    json_t *doc = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:o}], s:[o], s:[o], s:o, s:[{s:s, s:s}]}",
        "id", sid, "organization_id", org_id, "name", s->name, "description", s->description,
        "status", "active", "email", d->email, "url", d->website, "service_at_locations", "id",
        demo_uuid(c, "sal", s->name), "location", loc, "schedules", sched, "cost_options", cost,
        "attributes", attrs, "phones", "id", demo_uuid(c, "phone", s->name), "number", d->phone);
    if (s->pounds)
        json_object_set_new(doc, "fees_description",
                            json_string(arena_printf(c->a, "£%d a session.", s->pounds)));
    if (s->min_age != NONE) json_object_set_new(doc, "minimum_age", json_integer(s->min_age));
    if (s->max_age != NONE) json_object_set_new(doc, "maximum_age", json_integer(s->max_age));
    if (s->eligibility)
        json_object_set_new(doc, "eligibility_description", json_string(s->eligibility));
    return doc;
}

/*
 * The demo provider's proposals: two new services and a change to the
 * choir's published one, made as the provider (whose organisation must be
 * the choir) so that they wait for a lead's approval.
 */
static result propose(struct ctx *c, const struct ids *ids, const char *choir_org_id)
{
    struct actor provider = {
        .role = ROLE_PROVIDER, .email = "provider@demo.chis.example.org", .name = "Pat Provider"};
    int rc = store_query_int(c->db, &provider.user_id, "SELECT id FROM users WHERE email = $1", "t",
                             provider.email);
    if (rc == 1)
        rc = store_query_int(c->db, &provider.org_id,
                             "SELECT organisation_id FROM users WHERE id = $1", "i",
                             provider.user_id);
    if (rc != 1) return ctx_fail(c, RES_INTERNAL, "The demo has no provider to propose services");
    long long choir = 0;
    result res =
        find(c, &choir, "SELECT id FROM organisations WHERE name = $1", demo_orgs[16].name);
    if (res != RES_OK) return res;
    if (choir != provider.org_id)
        return ctx_fail(c, RES_INTERNAL, "The demo provider does not work for the choir");
    const struct actor *was = c->actor;
    bool was_operator = c->by_operator;
    c->actor = &provider;
    c->by_operator = false;
    for (int i = 0; res == RES_OK && i < DEMO_DIR_PENDING_NEW; i++) {
        json_t *doc = service_doc(c, &proposals[i], choir_org_id, ids), *out = NULL;
        res = dir_edit_create(c, doc, &out);
        json_decref(doc);
        json_decref(out);
    }
    if (res == RES_OK) { /* the choir moves to a later start and takes younger singers */
        json_t *patch = json_pack(
            "{s:s, s:i}", "description",
            "A friendly community choir: no auditions and no need to read music. We sing pop, "
            "folk and gospel, and perform twice a year. From September we start at 19:15, and "
            "singers from 14 are welcome with a parent's consent.",
            "minimum_age", 14);
        json_t *out = NULL;
        res = dir_edit_patch(c, demo_uuid(c, "service", services[0].name), patch, &out);
        json_decref(patch);
        json_decref(out);
    }
    c->actor = was;
    c->by_operator = was_operator;
    return res;
}

/* Load the demo's directory (see demo_directory.h). */
result demo_load_directory(struct ctx *c)
{
    if (!c->by_operator) return ctx_fail(c, RES_FORBIDDEN, "Only the operator loads the demo");
    result res = dir_taxonomy_ensure(c);
    if (res != RES_OK) return res;
    struct ids ids;
    if (demo_neighbourhoods_len != sizeof hoods / sizeof hoods[0] ||
        demo_places_len > sizeof ids.place / sizeof ids.place[0] || demo_orgs_len > 64)
        return ctx_fail(c, RES_INTERNAL, "The demo directory does not fit the demo's structure");
    for (size_t i = 0; res == RES_OK && i < demo_places_len; i++)
        res = find(c, &ids.place[i], "SELECT id FROM places WHERE name = $1", demo_places[i].name);
    for (size_t i = 0; res == RES_OK && i < demo_neighbourhoods_len; i++)
        res = find(c, &ids.hood[i], "SELECT id FROM neighbourhoods WHERE code = $1",
                   demo_neighbourhoods[i].code);
    if (res != RES_OK) return res;
    if (store_begin(c->db) != 0) return ctx_store_failure(c, STORE_E_BUSY, "demo directory");
    for (size_t i = 0; res == RES_OK && i < demo_neighbourhoods_len; i++) {
        long long n = store_run(c->db,
                                "INSERT INTO neighbourhood_lsoas (lsoa, neighbourhood_id)"
                                " VALUES ($1, $2) ON CONFLICT (lsoa) DO NOTHING",
                                "ti", hood_lsoa(c, (int)i), ids.hood[i]);
        if (n < 0) res = ctx_store_failure(c, n, "placing a demo LSOA");
    }
    const char *org_ids[64] = {0}; /* by demo_orgs index */
    for (size_t i = 0; res == RES_OK && i < demo_dir_services_len; i++) {
        const struct demo_service *s = &services[i];
        if (!org_ids[s->org]) res = store_org(c, s->org, &org_ids[s->org]);
        double lat, lng;
        postcode_point(s->hood, s->postcode, &lat, &lng);
        if (res == RES_OK) res = add_postcode(c, s->hood, s->postcode, lat, lng);
        if (res != RES_OK) break;
        json_t *doc = service_doc(c, s, org_ids[s->org], &ids);
        res = dir_service_store(c, doc, NULL);
        json_decref(doc);
    }
    for (int i = 0; res == RES_OK && i < DEMO_DIR_PENDING_NEW; i++) {
        double lat, lng;
        postcode_point(proposals[i].hood, proposals[i].postcode, &lat, &lng);
        res = add_postcode(c, proposals[i].hood, proposals[i].postcode, lat, lng);
    }
    if (res == RES_OK) res = propose(c, &ids, org_ids[16]);
    if (res != RES_OK) {
        store_rollback(c->db);
        return res;
    }
    if (store_commit(c->db) != 0) return ctx_store_failure(c, STORE_E_ERROR, "demo directory");
    return RES_OK;
}
