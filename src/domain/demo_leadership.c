/*
 * demo_leadership.c: the demo system's leadership, strategy and governance
 * records, all fictional, loaded through entity_create() so that each is
 * validated and audited exactly as real data would be.
 *
 * The tables below refer to the structure in demo_data.c by index
 * (demo_places, demo_neighbourhoods, demo_orgs, demo_people); the ids are
 * looked up by name when loading, never assumed. Dates are days from
 * today (c->now), so the demo always has overdue actions, policies about to
 * expire, ended champions and so on, whenever it is loaded; everything else
 * is fixed, so two loads differ only in their dates.
 *
 * What the data is meant to show:
 *   - champions at system, place and neighbourhood level, with gaps: no
 *     active champion in Axleigh and Saltmarsh (its place champion has
 *     ended) and none in eleven of the twenty neighbourhoods;
 *   - a network of 110 connections: one main component, two small
 *     separate clusters (three Axleigh groups; two Brookfield groups) and
 *     four isolated organisations, with some connections ended;
 *   - resources by place and sector; the system Creative Health strategy and
 *     four others it lines up with, each with priorities, and a Brookfield
 *     plan; alignments leaving three other priorities unsupported;
 *   - actions (five overdue), progress notes and co-production;
 *   - VCSE providers' policies in all three compliance states;
 *   - lines of accountability in all five domains, from community groups
 *     to council and trust people, and from them to ICB people;
 *   - three sharing agreements, one due for review within a fortnight.
 */
#include "domain/demo_leadership.h"

#include "base/date.h"

#include "domain/demo_data.h"
#include "domain/governance.h"
#include "domain/leadership.h"
#include "domain/strategy.h"

#include <string.h>
#include <time.h>

#define NONE (-1)    /* no place, neighbourhood, priority... */
#define NO_END 99999 /* a date that is not set */

/* The ids of the demo's structure, by index into the demo_data.c tables. */
struct ids {
    long long *place, *nbhd, *org, *person;
};

/* ---- the data ---- */

struct demo_champion {
    int person;
    const char *level;
    int area; /* place for "place", neighbourhood for "neighbourhood", NONE for "system" */
    const char *sector, *focus;
    int start, end; /* days from today; end NO_END: still active */
    bool training, meetings;
    const char *notes;
};

static const struct demo_champion champions[] = {
    {1, "system", NONE, "nhs", "Creative Health across the whole system", -760, NO_END, true, true,
     "Chairs the Creative Health partnership board."},
    {131, "system", NONE, "vcse", "The VCSE creative health network", -700, NO_END, true, true,
     "Runs the quarterly network meetings for providers."},
    {134, "system", NONE, "other", "Evidence and evaluation", -420, NO_END, false, true, NULL},
    {26, "place", 0, "local_authority", "Culture and public health working together", -690, NO_END,
     true, true, NULL},
    {3, "place", 0, "nhs", "Arts in hospital and on discharge", -500, NO_END, true, false,
     "Training booked for the spring."},
    {40, "place", 1, "local_authority", "Green social prescribing", -610, NO_END, true, true, NULL},
    {34, "place", 3, "local_authority", "Heritage, memory and dementia", -560, NO_END, false, true,
     "Asked for training on commissioning small groups."},
    {32, "place", 2, "local_authority", "Coastal arts and wellbeing", -900, -120, true, true,
     "Moved to another role; the council is looking for a successor."},
    {14, "neighbourhood", 0, "nhs", "Singing and social prescribing", -540, NO_END, true, true,
     NULL},
    {44, "neighbourhood", 1, "vcse", "Arts on prescription", -520, NO_END, true, true, NULL},
    {46, "neighbourhood", 2, "vcse", "Community growing", -480, NO_END, false, true, NULL},
    {64, "neighbourhood", 4, "vcse", "Walking and wellbeing", -800, -200, false, false,
     "Stepped down when the walking group changed organisers."},
    {19, "neighbourhood", 5, "nhs", "Rural isolation", -450, NO_END, true, false, NULL},
    {86, "neighbourhood", 9, "vcse", "Allotments and growing", -300, NO_END, false, true, NULL},
    {88, "neighbourhood", 10, "vcse", "The arts centre as a place to belong", -380, NO_END, true,
     true, NULL},
    {111, "neighbourhood", 15, "vcse", "Community arts", -350, NO_END, true, true, NULL},
    {115, "neighbourhood", 16, "vcse", "Music and dementia", -330, NO_END, false, true, NULL},
    {23, "neighbourhood", 17, "nhs", "Link workers and creative providers", -290, NO_END, true,
     true, NULL},
};

struct demo_connection {
    int from, to;
    const char *kind;
    int place; /* NONE: system-wide */
    int start, end;
    const char *notes;
};

static const struct demo_connection connections[] = {
    /* System-wide, around the ICB, the councils and the alliance. */
    {0, 53, "commissioning", NONE, -700, NO_END,
     "The ICB funds the alliance to run the creative health network."},
    {0, 10, "mou", NONE, -820, NO_END, "Creative health partnership agreement."},
    {0, 11, "mou", NONE, -820, NO_END, "Creative health partnership agreement."},
    {0, 12, "mou", NONE, -800, NO_END, "Creative health partnership agreement."},
    {0, 13, "mou", NONE, -790, NO_END, "Creative health partnership agreement."},
    {0, 54, "contract", NONE, -400, 330, "Evaluation of the creative health programme."},
    {0, 14, "information_sharing", NONE, -500, NO_END, NULL},
    {0, 3, "commissioning", NONE, -1000, NO_END, NULL},
    {0, 1, "commissioning", NONE, -1000, NO_END, NULL},
    {0, 2, "commissioning", NONE, -1000, NO_END, NULL},
    {0, 4, "commissioning", NONE, -1000, NO_END, NULL},
    {0, 58, "commissioning", NONE, -300, NO_END, "Exercise and creative activity on referral."},
    {0, 57, "mou", NONE, -260, NO_END, "Libraries as creative health venues."},
    {53, 54, "shared_practice", NONE, -380, NO_END, NULL},
    {53, 21, "network_membership", NONE, -600, NO_END, NULL},
    {53, 29, "network_membership", NONE, -560, NO_END, NULL},
    {53, 33, "network_membership", NONE, -540, NO_END, NULL},
    {10, 13, "shared_practice", NONE, -450, NO_END,
     "The two councils' culture teams share their commissioning practice."},
    {11, 12, "joint_event", NONE, -210, NO_END, NULL},
    /* Riverside City. */
    {5, 16, "referral_pathway", 0, -640, NO_END, NULL},
    {5, 17, "referral_pathway", 0, -600, NO_END, NULL},
    {6, 18, "referral_pathway", 0, -580, NO_END, NULL},
    {6, 17, "referral_pathway", 0, -560, NO_END, NULL},
    {6, 22, "referral_pathway", 0, -300, NO_END, NULL},
    {10, 17, "commissioning", 0, -500, 150, NULL},
    {10, 19, "contract", 0, -420, 60, "Museum reminiscence sessions."},
    {10, 23, "mou", 0, -350, NO_END, NULL},
    {1, 17, "contract", 0, -700, NO_END, "Arts on the wards."},
    {1, 21, "referral_pathway", 0, -480, NO_END, NULL},
    {3, 24, "referral_pathway", 0, -330, NO_END, NULL},
    {3, 22, "shared_practice", 0, -250, NO_END, NULL},
    {17, 16, "network_membership", 0, -520, NO_END, NULL},
    {17, 18, "joint_event", 0, -200, NO_END, NULL},
    {17, 19, "shared_practice", 0, -310, NO_END, NULL},
    {17, 24, "shared_practice", 0, -290, NO_END, NULL},
    {53, 17, "network_membership", 0, -600, NO_END, NULL},
    {53, 16, "network_membership", 0, -590, NO_END, NULL},
    {53, 18, "network_membership", 0, -570, NO_END, NULL},
    {19, 23, "joint_event", 0, -150, NO_END, NULL},
    {25, 18, "joint_event", 0, -120, NO_END, NULL},
    {10, 25, "mou", 0, -400, NO_END, NULL},
    {56, 10, "mou", 0, -365, NO_END, NULL},
    {56, 17, "joint_event", 0, -90, NO_END, NULL},
    {54, 17, "information_sharing", 0, -330, NO_END, NULL},
    {5, 6, "shared_practice", 0, -450, NO_END, "Link workers' peer support group."},
    {5, 20, "referral_pathway", 0, -410, NO_END, NULL},
    {1, 19, "joint_event", 0, -800, -500, "A one-year exhibition programme, now finished."},
    {10, 22, "contract", 0, -900, -540, "A small grant, spent."},
    /* Moorland Dales. */
    {7, 26, "referral_pathway", 1, -620, NO_END, NULL},
    {7, 30, "referral_pathway", 1, -500, NO_END, NULL},
    {7, 27, "referral_pathway", 1, -470, NO_END, NULL},
    {11, 26, "commissioning", 1, -700, 210, NULL},
    {11, 32, "contract", 1, -380, 90, NULL},
    {15, 26, "mou", 1, -650, NO_END, NULL},
    {15, 33, "shared_practice", 1, -420, NO_END, NULL},
    {14, 26, "information_sharing", 1, -300, NO_END, NULL},
    {2, 27, "referral_pathway", 1, -520, NO_END, NULL},
    {2, 32, "referral_pathway", 1, -260, NO_END, NULL},
    {26, 33, "network_membership", 1, -610, NO_END, NULL},
    {26, 34, "network_membership", 1, -590, NO_END, NULL},
    {26, 28, "network_membership", 1, -450, NO_END, NULL},
    {29, 30, "joint_event", 1, -180, NO_END, NULL},
    {29, 11, "mou", 1, -500, NO_END, NULL},
    {55, 34, "contract", 1, -340, 25, "Tenant wellbeing grant for the allotments."},
    {58, 26, "joint_event", 1, -140, NO_END, NULL},
    {3, 30, "referral_pathway", 1, -230, NO_END, NULL},
    {53, 26, "network_membership", 1, -600, NO_END, NULL},
    {21, 27, "shared_practice", 1, -160, NO_END, NULL},
    {11, 29, "contract", 1, -1000, -400, "Heritage open days, completed."},
    /* Axleigh and Saltmarsh. */
    {8, 35, "referral_pathway", 2, -560, NO_END, NULL},
    {8, 37, "referral_pathway", 2, -540, NO_END, NULL},
    {8, 36, "referral_pathway", 2, -310, NO_END, NULL},
    {12, 35, "commissioning", 2, -600, 120, NULL},
    {12, 39, "contract", 2, -280, 85, NULL},
    {4, 35, "contract", 2, -450, NO_END, NULL},
    {4, 37, "referral_pathway", 2, -390, NO_END, NULL},
    {14, 37, "information_sharing", 2, -200, NO_END, NULL},
    {35, 36, "joint_event", 2, -170, NO_END, NULL},
    {35, 39, "shared_practice", 2, -330, NO_END, NULL},
    {35, 40, "joint_event", 2, -110, NO_END, NULL},
    {53, 35, "network_membership", 2, -580, NO_END, NULL},
    {53, 37, "network_membership", 2, -560, NO_END, NULL},
    {57, 39, "joint_event", 2, -95, NO_END, NULL},
    {29, 39, "shared_practice", 2, -270, NO_END, NULL},
    {33, 12, "mou", 2, -240, NO_END, NULL},
    {2, 37, "referral_pathway", 2, -350, NO_END, NULL},
    {58, 12, "mou", 2, -700, -250, "Superseded by the ICB's referral scheme."},
    {55, 37, "contract", 2, -300, 45, NULL},
    /* A small cluster of Axleigh groups who know each other but nobody else. */
    {42, 43, "joint_event", 2, -130, NO_END, "Stories in the garden."},
    {43, 41, "shared_practice", 2, -90, NO_END, NULL},
    {41, 42, "joint_event", 2, -60, NO_END, NULL},
    /* Brookfield Borough. */
    {9, 44, "referral_pathway", 3, -610, NO_END, NULL},
    {9, 46, "referral_pathway", 3, -590, NO_END, NULL},
    {9, 47, "referral_pathway", 3, -430, NO_END, NULL},
    {13, 44, "commissioning", 3, -650, 175, NULL},
    {13, 48, "contract", 3, -360, 70, NULL},
    {13, 51, "contract", 3, -300, 100, NULL},
    {1, 46, "referral_pathway", 3, -400, NO_END, NULL},
    {1, 47, "referral_pathway", 3, -380, NO_END, NULL},
    {44, 45, "joint_event", 3, -140, NO_END, NULL},
    {45, 13, "mou", 3, -320, NO_END, NULL},
    {48, 57, "joint_event", 3, -100, NO_END, NULL},
    {40, 44, "joint_event", 3, -160, NO_END, NULL},
    {24, 44, "shared_practice", 3, -220, NO_END, NULL},
    {56, 47, "joint_event", 3, -80, NO_END, NULL},
    {17, 44, "network_membership", 3, -480, NO_END, NULL},
    {3, 46, "referral_pathway", 3, -260, NO_END, NULL},
    {9, 45, "referral_pathway", 3, -200, NO_END, NULL},
    {9, 51, "referral_pathway", 3, -700, -300, NULL},
    /* Two Brookfield groups on their own. */
    {49, 52, "joint_event", 3, -75, NO_END, "Open mic nights at the shed."},
};

struct demo_resource {
    const char *kind;
    int org, place;
    long long pence; /* -1: none */
    int hours;       /* -1: none */
    int start, end;
    const char *description;
};

static const struct demo_resource resources[] = {
    {"funding", 0, NONE, 25000000, -1, -240, 125,
     "This year's Creative Health programme fund: the network, small grants and evaluation."},
    {"funding", 0, NONE, 18000000, -1, -605, -241, "Last year's Creative Health programme fund."},
    {"staff_time", 0, NONE, -1, 1480, -240, 125, "The Creative Health Lead, full time."},
    {"funding", 0, 3, 1500000, -1, -240, 125, "Seed funding for the Brookfield plan."},
    {"funding", 10, 0, 6000000, -1, -240, 125, "Riverside culture and health grants."},
    {"venue", 10, 0, -1, 320, -240, 125, "Central Library community rooms for groups."},
    {"funding", 11, 1, 3500000, -1, -240, 125, "Moorland Dales creative health small grants."},
    {"staff_time", 15, 1, -1, 600, -240, 125, "Rangers' time leading green prescription walks."},
    {"funding", 12, 2, 2800000, -1, -240, 125, "Axleigh and Saltmarsh arts and wellbeing fund."},
    {"in_kind", 12, 2, 450000, 180, -240, 125, "Free use of the Esplanade pavilion."},
    {"funding", 13, 3, 4500000, -1, -240, 125, "Brookfield creative communities fund."},
    {"venue", 13, 3, -1, 260, -240, 125, "Civic offices hall for dance and singing groups."},
    {"funding", 14, 1, 1500000, -1, -240, 125, "Public health grant for singing for lung health."},
    {"funding", 14, 2, 1200000, -1, -240, 125, "Public health grant for coastal wellbeing."},
    {"staff_time", 1, 0, -1, 900, -240, 125, "Arts in Health Manager and curator time."},
    {"venue", 3, 0, -1, 400, -240, 125, "Recovery College rooms in the evenings."},
    {"staff_time", 2, 1, -1, 250, -240, 125, "Occupational therapists co-facilitating groups."},
    {"venue", 4, 2, -1, 150, -240, 125, "The hospital chapel for concerts."},
    {"funding", 55, 1, 1200000, -1, -240, 125, "Tenant wellbeing fund: allotments and craft."},
    {"venue", 58, 2, -1, 500, -240, 125, "Leisure centre studios at off-peak times."},
    {"venue", 57, 3, -1, 380, -240, 125, "Library spaces for reading and writing groups."},
    {"venue", 57, 2, -1, 210, -240, 125, "Library spaces for reading and writing groups."},
    {"staff_time", 53, NONE, -1, 1200, -240, 125, "The network manager and evaluation lead."},
    {"staff_time", 54, NONE, -1, 420, -240, 125, "A research fellow's time on evaluation."},
    {"funding", 56, 0, 800000, -1, -240, 125, "Community foundation match funding."},
    {"in_kind", 17, 0, 300000, 400, -240, 125, "Volunteer artists' time, valued."},
    {"staff_time", 26, 1, -1, 700, -240, 125, "The green social prescribing coordinator."},
    {"in_kind", 29, 1, 150000, 120, -240, 125, "Heritage volunteers' time, valued."},
};

#define MAX_PRIORITIES 5

struct demo_priority {
    const char *title, *description;
};

struct demo_strategy {
    const char *name, *kind, *level;
    int place;
    const char *vision, *local_need;
    int start, end;
    struct demo_priority priorities[MAX_PRIORITIES]; /* ended by a NULL title */
};

enum { S_CH, S_PC, S_HI, S_HW, S_JFP, S_BROOKFIELD };

static const struct demo_strategy strategies[] = {
    [S_CH] = {"Riverside and Moorland Creative Health Strategy",
              "creative_health",
              "system",
              NONE,
              "Everyone in Riverside and Moorland can take part in creative, cultural and "
              "nature-based activity that helps them stay well, recover and live well with "
              "long-term conditions, wherever they live.",
              "Loneliness and poor mental health are highest in Riverside City's inner "
              "neighbourhoods and around Saltmarsh Harbour, where most people live in the most "
              "deprived fifth of areas in England. Moorland Dales has an older population and "
              "long journeys to services; Brookfield has persistent disadvantage in its former "
              "mining communities. Link workers say creative activity is what people ask for "
              "most, but outside Riverside there is little of it.",
              -600,
              1225,
              {{"Make creative health part of personalised care",
                "Link workers, care coordinators and clinicians offer creative activity as a "
                "routine option in personalised care and support plans."},
               {"Reach the people with the poorest health first",
                "New provision goes first to the Core20PLUS neighbourhoods and groups, with "
                "activities that local people help to design."},
               {"Grow a skilled and supported workforce",
                "Training, supervision and fair pay for creative practitioners; creative health "
                "awareness for health and care staff."},
               {"Sustain the VCSE providers who deliver it",
                "Multi-year funding, proportionate governance support and a shared offer of "
                "policy templates and training."},
               {"Build shared evidence of what works",
                "Common outcome measures (SWEMWBS and ONS4) and an annual learning report."}}},
    [S_PC] = {"Personalised Care Strategy",
              "personalised_care",
              "system",
              NONE,
              "People have choice and control over the way their care is planned and delivered, "
              "based on what matters to them.",
              "A third of GP appointments are about things medicine cannot fix on its own; "
              "people with several long-term conditions want one plan, not many.",
              -900,
              925,
              {{"Personalised care and support planning for everyone who needs it",
                "Starting with people living with several long-term conditions."},
               {"Social prescribing in every neighbourhood",
                "Link workers in every primary care network, with a directory of what they can "
                "refer to."},
               {"Supported self-management of long-term conditions", NULL},
               {"Personal health budgets for people with complex needs", NULL}}},
    [S_HI] = {"Health Inequalities Strategy (Core20PLUS5)",
              "health_inequalities",
              "system",
              NONE,
              "Close the gap in healthy life expectancy between our most and least deprived "
              "neighbourhoods.",
              "Men in Docklands and St Anne's live nine fewer years in good health than men in "
              "Thornby and Ashworth.",
              -700,
              1125,
              {{"Core20: the most deprived fifth of neighbourhoods", NULL},
               {"PLUS groups: refugees and asylum seekers, carers, people who are homeless", NULL},
               {"Severe mental illness: physical health checks and continuity of care", NULL},
               {"Children and young people's mental health", NULL},
               {"Earlier diagnosis of cancer", NULL}}},
    [S_HW] = {"Joint Health and Wellbeing Strategy",
              "health_and_wellbeing",
              "system",
              NONE,
              "Start well, live well, age well.",
              "One adult in five reports feeling lonely often or always.",
              -800,
              1025,
              {{"Start well", "Every child has the best start in life."},
               {"Live well: fewer people lonely or isolated", NULL},
               {"Age well: dementia-friendly communities", NULL},
               {"Good mental health for all", NULL}}},
    [S_JFP] = {"Joint Forward Plan",
               "joint_forward_plan",
               "system",
               NONE,
               "The NHS and its partners deliver the five-year plan together.",
               "Rising demand, waiting lists, and staff shortages in community services.",
               -500,
               1325,
               {{"Prevention and care closer to home", NULL},
                {"Shorter waits for planned care", NULL},
                {"A workforce fit for the future", NULL},
                {"Partnership with the voluntary, community and social enterprise sector", NULL}}},
    [S_BROOKFIELD] =
        {"Brookfield Creative Health Plan",
         "creative_health",
         "place",
         3,
         "Brookfield's heritage, music and making help its people stay connected and well.",
         "Canal Side and Brookfield Central have the borough's highest rates of depression; "
         "dementia diagnoses are rising in the former colliery villages.",
         -320,
         410,
         {{"Creative activity in every Brookfield primary care network", NULL},
          {"Heritage and memory for people living with dementia", NULL},
          {"A creative mental health offer for young people", NULL}}},
};

struct demo_alignment {
    int ch_strategy, ch_priority, strategy, priority;
    const char *rationale;
};

/* Left unsupported on purpose: personal health budgets, cancer diagnosis, planned care waits. */
static const struct demo_alignment alignments[] = {
    {S_CH, 0, S_PC, 0,
     "Creative activity offered in personalised care and support plans widens the choices in "
     "each plan."},
    {S_CH, 0, S_PC, 1,
     "Creative providers are much of what link workers refer to: growing them grows social "
     "prescribing."},
    {S_CH, 0, S_PC, 2,
     "Singing for lung health and dance for Parkinson's help people manage their conditions."},
    {S_CH, 0, S_HW, 3, "Regular creative activity protects and improves mental wellbeing."},
    {S_CH, 1, S_HI, 0, "New creative provision is placed first in the Core20 neighbourhoods."},
    {S_CH, 1, S_HI, 1,
     "The refugee arts collective and the women's craft circles reach groups services miss."},
    {S_CH, 1, S_HI, 2,
     "Recovery College creative courses keep people with severe mental illness connected."},
    {S_CH, 1, S_HW, 1,
     "Group creative activity is among the best-evidenced ways to reduce "
     "loneliness."},
    {S_CH, 2, S_JFP, 2,
     "Creative practitioners and link workers belong in the health and care workforce plan."},
    {S_CH, 3, S_JFP, 3,
     "Multi-year grants put the partnership with the VCSE sector into "
     "practice."},
    {S_CH, 3, S_JFP, 0, "Community creative activity is prevention delivered close to home."},
    {S_CH, 4, S_PC, 1,
     "Shared outcome measures show what social prescribing to creative activity achieves."},
    {S_BROOKFIELD, 0, S_PC, 1,
     "Every Brookfield network's link workers will have creative providers to refer to."},
    {S_BROOKFIELD, 1, S_HW, 2,
     "Memory singing and reminiscence groups support people with dementia and their carers."},
    {S_BROOKFIELD, 2, S_HI, 3,
     "Young people waiting for mental health support get something creative to do meanwhile."},
    {S_BROOKFIELD, 2, S_HW, 0, "Youth theatre and photography give young people a good start."},
};

struct demo_action {
    const char *title, *description;
    int place, strategy, priority, owner, due;
    const char *status;
    struct {
        int day;
        const char *note;
    } notes[2];
};

static const struct demo_action actions[] = {
    {"Publish the creative health offer in the social prescribing directory",
     "Every commissioned creative provider listed, with session times and how to refer.",
     NONE,
     S_CH,
     0,
     1,
     -45,
     "at_risk",
     {{-60, "The directory supplier has the provider list; categories agreed."},
      {-20, "Delayed: two providers have not confirmed their session times."}}},
    {"Train link workers in creative health conversations",
     NULL,
     NONE,
     S_CH,
     2,
     132,
     -10,
     "on_track",
     {{-40, "Two of four sessions delivered; 23 link workers trained so far."}}},
    {"Open creative groups in Docklands and Northgate",
     NULL,
     0,
     S_CH,
     1,
     26,
     75,
     "on_track",
     {{-14, "Venues confirmed at St Mark's church hall and the Old Timber Yard."}}},
    {"Agree a three-year grant model with the VCSE alliance",
     NULL,
     NONE,
     S_CH,
     3,
     0,
     -90,
     "off_track",
     {{-100, "The finance committee asked for options."},
      {-30, "Options paper slipped: waiting for next year's allocation."}}},
    {"Adopt SWEMWBS and ONS4 across commissioned providers",
     NULL,
     NONE,
     S_CH,
     4,
     133,
     120,
     "not_started",
     {{0, NULL}}},
    {"Publish the first annual learning report",
     NULL,
     NONE,
     S_CH,
     4,
     135,
     -30,
     "done",
     {{-35, "Published and presented to the partnership board."}}},
    {"Find a creative health champion for Axleigh and Saltmarsh",
     NULL,
     2,
     S_CH,
     1,
     33,
     -5,
     "not_started",
     {{-50, "The previous champion's role ended; the council and the arts centre are asked to "
            "nominate someone."}}},
    {"Map creative provision against travel times in Moorland Dales",
     NULL,
     1,
     S_CH,
     1,
     29,
     40,
     "on_track",
     {{-7, "Bus timetables gathered; first draft map shared with the network."}}},
    {"Policy support clinic for small providers",
     NULL,
     NONE,
     S_CH,
     3,
     132,
     30,
     "on_track",
     {{-12, "Template safeguarding and data policies drafted with the council."}}},
    {"Add creative activity to personalised care plan templates",
     NULL,
     NONE,
     S_PC,
     0,
     13,
     200,
     "not_started",
     {{0, NULL}}},
    {"Creative health induction for new trust staff",
     NULL,
     NONE,
     S_CH,
     2,
     3,
     -60,
     "done",
     {{-62, "Added to the monthly induction programme."}}},
    {"Set up memory singing groups in every Brookfield network",
     NULL,
     3,
     S_BROOKFIELD,
     1,
     35,
     150,
     "on_track",
     {{-21, "Three of five groups running."}}},
    {"Youth creative mental health pilot with Marshfield Youth Theatre",
     NULL,
     3,
     S_BROOKFIELD,
     2,
     36,
     -15,
     "at_risk",
     {{-45, "Referral route agreed with the mental health trust."},
      {-9, "Fewer referrals than planned: only four young people so far."}}},
};

struct demo_coproduction {
    int strategy, held;
    const char *kind, *title;
    int local_people, lived_experience, vcse, nhs, local_authority;
    const char *what_changed;
};

static const struct demo_coproduction coproduction[] = {
    {S_CH, -620, "workshop", "What would help you stay well? Community workshops", 64, 22, 18, 6, 5,
     "The first priority was rewritten around what people asked for: activities close to home, "
     "in the evening and free."},
    {S_CH, -580, "survey", "Creative health survey of residents", 412, 95, 0, 0, 0,
     "Cost and transport stop people more than lack of interest: small travel grants were added "
     "to the provider fund."},
    {S_CH, -540, "panel", "Lived experience panel on the draft strategy", 0, 12, 3, 2, 2,
     "The panel asked for outcomes in plain English; the measures section was rewritten with "
     "them."},
    {S_CH, -200, "focus_group", "Link workers and providers: what gets in the way of referrals", 0,
     0, 14, 11, 3, "Led to the policy support clinic and the directory action."},
    {S_PC, -400, "workshop", "Personalised care plans: what matters to you", 38, 17, 6, 9, 4,
     "Plans now begin with the person's own words about what matters to them."},
    {S_BROOKFIELD, -300, "event", "Brookfield creative health open day", 150, 30, 20, 5, 8,
     "The plan's priorities were chosen by vote on the day; heritage and memory came top."},
    {S_BROOKFIELD, -150, "interview", "Conversations with carers of people living with dementia", 0,
     9, 0, 0, 0, "Memory singing moved to mornings, and carers now come free."},
};

/* Policies: every VCSE organisation has the four required ones, current, except these. */
enum policy_exception { P_EXPIRING, P_EXPIRED, P_MISSING, P_NONE_AT_ALL };

static const struct {
    int org;
    const char *domain;
    enum policy_exception what;
    int review_due; /* days from today, for expiring and expired */
} policy_exceptions[] = {
    {20, "safeguarding", P_EXPIRING, 12},     {27, "data_management", P_EXPIRING, 25},
    {36, "quality_assurance", P_EXPIRING, 5}, {46, "working_standards", P_EXPIRING, 19},
    {22, "safeguarding", P_EXPIRED, -20},     {42, "data_management", P_EXPIRED, -75},
    {31, "data_management", P_MISSING, 0},    {50, "safeguarding", P_MISSING, 0},
    {50, "data_management", P_MISSING, 0},    {38, NULL, P_NONE_AT_ALL, 0},
};

/*
 * Lines of accountability, by domain in accountability_domains order
 * (safeguarding, quality, data, capacity, general): whom trusts, councils
 * and public health answer to at the ICB, and whom each place's community
 * groups answer to in its council or community trust (indices into
 * demo_people).
 */
static const int icb_line[5] = {0, 0, 2, 1, 1};
static const int place_line[4][5] = {
    {27, 26, 27, 26, 26}, /* Riverside City: the director of public health, the place lead */
    {8, 29, 37, 29, 29},  /* Moorland Dales: the community trust's safeguarding lead... */
    {8, 32, 37, 33, 32},  /* Axleigh and Saltmarsh */
    {36, 34, 36, 35, 34}, /* Brookfield Borough */
};
static const int icb_answering[] = {1, 2, 3, 4, 10, 11, 12, 13, 14};

struct demo_sharing {
    const char *title;
    int parties[8]; /* ended by NONE */
    const char *purpose, *lawful_basis, *data_categories;
    int start, review;
};

static const struct demo_sharing sharing[] = {
    {"Riverside social prescribing referrals",
     {0, 5, 6, 10, 16, 17, 18, NONE},
     "Link workers send referral details to creative providers, who report attendance and "
     "wellbeing scores back so that the link worker can review the person's plan.",
     "public_task",
     "Name, contact details, reason for referral, attendance, SWEMWBS scores (health data, "
     "under UK GDPR Article 9(2)(h)).",
     -350,
     14},
    {"Creative health programme evaluation",
     {0, 53, 54, NONE},
     "Pseudonymised outcome data from commissioned providers is pooled for the annual learning "
     "report.",
     "public_task",
     "Pseudonymised outcome scores, age band, neighbourhood, kind of activity.",
     -330,
     300},
    {"Moorland Dales green social prescribing",
     {7, 11, 15, 26, 2, NONE},
     "Link workers and rangers share what is needed to welcome someone safely on a walk.",
     "consent",
     "Name, contact details, mobility needs, emergency contact.",
     -500,
     190},
};

/* ---- loading ---- */

/* Today plus days as YYYY-MM-DD, in c->a. */
static const char *day(struct ctx *c, int days)
{
    return date_offset(c->a, c->now, days, false);
}

/* The id at index i of one of the id arrays, or 0 (which validation refuses) when out of range. */
static long long at(const long long *ids, size_t len, int i)
{
    return i >= 0 && (size_t)i < len ? ids[i] : 0;
}

#define PLACE(i) at(ids->place, demo_places_len, (i))
#define NBHD(i) at(ids->nbhd, demo_neighbourhoods_len, (i))
#define ORG(i) at(ids->org, demo_orgs_len, (i))
#define PERSON(i) at(ids->person, demo_people_len, (i))

/* One id by a text key; RES_INTERNAL naming what is missing. */
static result find(struct ctx *c, long long *out, const char *what, const char *sql,
                   const char *key)
{
    int rc = store_query_int(c->db, out, sql, "t", key);
    if (rc == 1) return RES_OK;
    if (rc < 0) return ctx_store_failure(c, rc, "demo lookup");
    return ctx_fail(c, RES_INTERNAL, "The demo has no %s named '%s'", what, key);
}

/* Look up the ids of everything demo_load created before this. */
static result load_ids(struct ctx *c, struct ids *ids)
{
    ids->place = arena_alloc(c->a, sizeof *ids->place * demo_places_len);
    ids->nbhd = arena_alloc(c->a, sizeof *ids->nbhd * demo_neighbourhoods_len);
    ids->org = arena_alloc(c->a, sizeof *ids->org * demo_orgs_len);
    ids->person = arena_alloc(c->a, sizeof *ids->person * demo_people_len);
    result r = RES_OK;
    for (size_t i = 0; r == RES_OK && i < demo_places_len; i++)
        r = find(c, &ids->place[i], "place", "SELECT id FROM places WHERE name = $1",
                 demo_places[i].name);
    for (size_t i = 0; r == RES_OK && i < demo_neighbourhoods_len; i++)
        r = find(c, &ids->nbhd[i], "neighbourhood", "SELECT id FROM neighbourhoods WHERE code = $1",
                 demo_neighbourhoods[i].code);
    for (size_t i = 0; r == RES_OK && i < demo_orgs_len; i++)
        r = find(c, &ids->org[i], "organisation", "SELECT id FROM organisations WHERE name = $1",
                 demo_orgs[i].name);
    for (size_t i = 0; r == RES_OK && i < demo_people_len; i++) {
        const struct demo_person *p = &demo_people[i];
        int rc = store_query_int(c->db, &ids->person[i],
                                 "SELECT id FROM people WHERE name = $1 AND organisation_id = $2",
                                 "ti", p->name, ids->org[p->org]);
        if (rc < 0)
            r = ctx_store_failure(c, rc, "demo lookup");
        else if (rc == 0)
            r = ctx_fail(c, RES_INTERNAL, "The demo has no person named '%s'", p->name);
    }
    return r;
}

/* Create one record; on failure the detail says which kind of demo record failed. */
static result add(struct ctx *c, const struct entity *e, rec *r, long long *id)
{
    rec *out = NULL;
    result res = entity_create(c, e, r, &out);
    if (res != RES_OK) {
        const char *why = c->detail;
        c->detail = arena_printf(c->a, "Loading the demo's %s: %s", e->name, why ? why : "failed");
        return res;
    }
    if (id) *id = rec_int(out, "id", 0);
    return RES_OK;
}

/* Set an optional date field: nothing when days is NO_END. */
static void set_day(struct ctx *c, rec *r, const char *field, int days)
{
    if (days != NO_END) rec_set_text(r, field, day(c, days));
}

/* Champions at each level, from the table above. */
static result load_champions(struct ctx *c, const struct ids *ids)
{
    for (size_t i = 0; i < sizeof champions / sizeof champions[0]; i++) {
        const struct demo_champion *d = &champions[i];
        rec *r = rec_new(c->a);
        rec_set_int(r, "person_id", PERSON(d->person));
        rec_set_text(r, "level", d->level);
        if (strcmp(d->level, "place") == 0) rec_set_int(r, "place_id", PLACE(d->area));
        if (strcmp(d->level, "neighbourhood") == 0)
            rec_set_int(r, "neighbourhood_id", NBHD(d->area));
        rec_set_text(r, "sector", d->sector);
        rec_set_text(r, "focus", d->focus);
        set_day(c, r, "start_date", d->start);
        set_day(c, r, "end_date", d->end);
        rec_set_bool(r, "support_training", d->training);
        rec_set_bool(r, "support_network_meetings", d->meetings);
        rec_set_text(r, "support_notes", d->notes);
        result res = add(c, &entity_champions, r, NULL);
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* Connections between organisations, each in its place or system-wide. */
static result load_connections(struct ctx *c, const struct ids *ids)
{
    for (size_t i = 0; i < sizeof connections / sizeof connections[0]; i++) {
        const struct demo_connection *d = &connections[i];
        rec *r = rec_new(c->a);
        rec_set_int(r, "from_organisation_id", ORG(d->from));
        rec_set_int(r, "to_organisation_id", ORG(d->to));
        rec_set_text(r, "kind", d->kind);
        set_day(c, r, "start_date", d->start);
        set_day(c, r, "end_date", d->end);
        if (d->place != NONE) rec_set_int(r, "place_id", PLACE(d->place));
        rec_set_text(r, "notes", d->notes);
        result res = add(c, &entity_connections, r, NULL);
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* What organisations commit: money in pence, hours, venues. */
static result load_resources(struct ctx *c, const struct ids *ids)
{
    for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++) {
        const struct demo_resource *d = &resources[i];
        rec *r = rec_new(c->a);
        rec_set_text(r, "kind", d->kind);
        rec_set_int(r, "organisation_id", ORG(d->org));
        if (d->place != NONE) rec_set_int(r, "place_id", PLACE(d->place));
        if (d->pence >= 0) rec_set_int(r, "amount_pence", d->pence);
        if (d->hours >= 0) rec_set_int(r, "hours", d->hours);
        set_day(c, r, "period_start", d->start);
        set_day(c, r, "period_end", d->end);
        rec_set_text(r, "description", d->description);
        result res = add(c, &entity_resources, r, NULL);
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

#define NSTRATEGIES (sizeof strategies / sizeof strategies[0])

/* Strategies and their priorities; prio[s][p] receives each priority's id. */
static result load_strategies(struct ctx *c, const struct ids *ids, long long *strategy_ids,
                              long long prio[][MAX_PRIORITIES])
{
    for (size_t s = 0; s < NSTRATEGIES; s++) {
        const struct demo_strategy *d = &strategies[s];
        rec *r = rec_new(c->a);
        rec_set_text(r, "name", d->name);
        rec_set_text(r, "kind", d->kind);
        rec_set_text(r, "level", d->level);
        if (d->place != NONE) rec_set_int(r, "place_id", PLACE(d->place));
        rec_set_text(r, "vision", d->vision);
        rec_set_text(r, "local_need", d->local_need);
        set_day(c, r, "period_start", d->start);
        set_day(c, r, "period_end", d->end);
        result res = add(c, &entity_strategies, r, &strategy_ids[s]);
        for (int p = 0; res == RES_OK && p < MAX_PRIORITIES && d->priorities[p].title; p++) {
            rec *pr = rec_new(c->a);
            rec_set_int(pr, "strategy_id", strategy_ids[s]);
            rec_set_text(pr, "title", d->priorities[p].title);
            rec_set_text(pr, "description", d->priorities[p].description);
            rec_set_int(pr, "position", p + 1);
            res = add(c, &entity_priorities, pr, &prio[s][p]);
        }
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* The id of priority p of strategy s, 0 when there is none (validation then refuses it). */
static long long priority_id(long long prio[][MAX_PRIORITIES], int s, int p)
{
    if (s < 0 || (size_t)s >= NSTRATEGIES || p < 0 || p >= MAX_PRIORITIES) return 0;
    return prio[s][p];
}

/* Which Creative Health priorities support which priorities of other strategies. */
static result load_alignments(struct ctx *c, long long prio[][MAX_PRIORITIES])
{
    for (size_t i = 0; i < sizeof alignments / sizeof alignments[0]; i++) {
        const struct demo_alignment *d = &alignments[i];
        rec *r = rec_new(c->a);
        rec_set_int(r, "creative_health_priority_id",
                    priority_id(prio, d->ch_strategy, d->ch_priority));
        rec_set_int(r, "priority_id", priority_id(prio, d->strategy, d->priority));
        rec_set_text(r, "rationale", d->rationale);
        result res = add(c, &entity_alignments, r, NULL);
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* Actions on the priorities, each with its progress notes. */
static result load_actions(struct ctx *c, const struct ids *ids, long long prio[][MAX_PRIORITIES])
{
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        const struct demo_action *d = &actions[i];
        rec *r = rec_new(c->a);
        long long action = 0;
        rec_set_text(r, "title", d->title);
        rec_set_text(r, "description", d->description);
        if (d->place != NONE) rec_set_int(r, "place_id", PLACE(d->place));
        rec_set_int(r, "priority_id", priority_id(prio, d->strategy, d->priority));
        rec_set_int(r, "owner_person_id", PERSON(d->owner));
        rec_set_text(r, "due_date", day(c, d->due));
        rec_set_text(r, "status", d->status);
        result res = add(c, &entity_actions, r, &action);
        for (int k = 0; res == RES_OK && k < 2 && d->notes[k].note; k++) {
            rec *n = rec_new(c->a);
            rec_set_int(n, "action_id", action);
            rec_set_text(n, "noted_on", day(c, d->notes[k].day));
            rec_set_text(n, "note", d->notes[k].note);
            res = add(c, &entity_action_notes, n, NULL);
        }
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* Co-production activities, with who took part and what changed. */
static result load_coproduction(struct ctx *c, const long long *strategy_ids)
{
    for (size_t i = 0; i < sizeof coproduction / sizeof coproduction[0]; i++) {
        const struct demo_coproduction *d = &coproduction[i];
        rec *r = rec_new(c->a);
        rec_set_int(r, "strategy_id", strategy_ids[d->strategy]);
        rec_set_text(r, "held_on", day(c, d->held));
        rec_set_text(r, "kind", d->kind);
        rec_set_text(r, "title", d->title);
        rec_set_int(r, "local_people", d->local_people);
        rec_set_int(r, "lived_experience", d->lived_experience);
        rec_set_int(r, "vcse", d->vcse);
        rec_set_int(r, "nhs", d->nhs);
        rec_set_int(r, "local_authority", d->local_authority);
        rec_set_text(r, "what_changed", d->what_changed);
        result res = add(c, &entity_coproduction, r, NULL);
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* One policy, approved a year (or two) before its review falls due. */
static result add_policy(struct ctx *c, const struct ids *ids, int org, const char *domain,
                         const char *version, int review_due, int cycle_days)
{
    const struct demo_org *o = &demo_orgs[org];
    rec *r = rec_new(c->a);
    rec_set_int(r, "organisation_id", ORG(org));
    rec_set_text(r, "domain", domain);
    rec_set_text(r, "version", version);
    rec_set_text(r, "approved_on", day(c, review_due - cycle_days));
    rec_set_text(r, "approved_by",
                 o->charity_number   ? "Board of trustees"
                 : o->company_number ? "Board of directors"
                                     : "Management committee");
    rec_set_text(r, "review_due", day(c, review_due));
    if (o->website)
        rec_set_text(r, "document_url",
                     arena_printf(c->a, "%s/policies/%s.pdf", o->website, domain));
    return add(c, &entity_policies, r, NULL);
}

/* Is there an exception for org and domain (domain NULL: the whole organisation)? */
static bool policy_state(int org, const char *domain, enum policy_exception *what, int *review_due)
{
    for (size_t i = 0; i < sizeof policy_exceptions / sizeof policy_exceptions[0]; i++) {
        if (policy_exceptions[i].org != org) continue;
        bool whole = policy_exceptions[i].what == P_NONE_AT_ALL;
        if (!whole && (!domain || strcmp(policy_exceptions[i].domain, domain) != 0)) continue;
        *what = policy_exceptions[i].what;
        *review_due = policy_exceptions[i].review_due;
        return true;
    }
    return false;
}

/*
 * Every VCSE organisation's policies: the four required ones, reviewed on
 * a yearly cycle at staggered dates, plus insurance for registered
 * charities and companies and background checks for every third group;
 * the exceptions above make some expiring, expired or missing. One
 * organisation also keeps its superseded safeguarding policy, to show that
 * the newest approval is the one that counts.
 */
static result load_policies(struct ctx *c, const struct ids *ids)
{
    for (size_t org = 0; org < demo_orgs_len; org++) {
        if (strcmp(demo_orgs[org].sector, "vcse") != 0) continue;
        enum policy_exception what;
        int due;
        if (policy_state((int)org, NULL, &what, &due) && what == P_NONE_AT_ALL) continue;
        result res = RES_OK;
        int base = 60 + (int)((org * 37) % 280); /* days until this group's reviews fall due */
        for (int k = 0; res == RES_OK && policy_required_domains[k]; k++) {
            const char *domain = policy_required_domains[k];
            int review = base + 7 * k;
            if (policy_state((int)org, domain, &what, &due)) {
                if (what == P_MISSING) continue;
                review = due;
            }
            res = add_policy(c, ids, (int)org, domain, k % 2 ? "2.0" : "1.1", review, 365);
        }
        if (res == RES_OK && (demo_orgs[org].charity_number || demo_orgs[org].company_number))
            res = add_policy(c, ids, (int)org, "insurance", "2025", base + 30, 365);
        if (res == RES_OK && org % 3 == 0)
            res = add_policy(c, ids, (int)org, "background_checks", "1.0", base + 90, 730);
        if (res == RES_OK && org == 17)
            res = add_policy(c, ids, (int)org, "safeguarding", "0.9", -435, 365);
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* One line of accountability for org in domain d (index into accountability_domains). */
static result add_line(struct ctx *c, const struct ids *ids, int org, int d, int person)
{
    rec *r = rec_new(c->a);
    rec_set_int(r, "organisation_id", ORG(org));
    rec_set_text(r, "domain", accountability_domains[d]);
    rec_set_int(r, "accountable_person_id", PERSON(person));
    return add(c, &entity_accountability, r, NULL);
}

/*
 * Trusts, councils and public health answer to ICB people; practices to
 * the ICB for quality and in general; the countryside service to its
 * council; community groups to people in their place's council or
 * community trust (registered ones in all five domains, others in three);
 * the alliance and other partners to whichever fits. No organisation
 * answers to itself and no chain loops: each ends at the ICB.
 */
static result load_accountability(struct ctx *c, const struct ids *ids)
{
    result res = RES_OK;
    for (size_t i = 0; i < sizeof icb_answering / sizeof icb_answering[0]; i++)
        for (int d = 0; res == RES_OK && d < 5; d++)
            res = add_line(c, ids, icb_answering[i], d, icb_line[d]);
    for (int org = 5; res == RES_OK && org <= 9; org++) {
        res = add_line(c, ids, org, 1, icb_line[1]);
        if (res == RES_OK) res = add_line(c, ids, org, 4, icb_line[4]);
    }
    for (int d = 0; res == RES_OK && d < 5; d++)
        res = add_line(c, ids, 15, d, place_line[1][d]);
    for (size_t org = 0; res == RES_OK && org < demo_orgs_len; org++) {
        const struct demo_org *o = &demo_orgs[org];
        if (strcmp(o->sector, "vcse") != 0 || org == 53 || org == 31 || org == 38 || org == 50)
            continue;
        int place = o->places[0];
        if (place < 0 || place > 3) continue;
        bool registered = o->charity_number || o->company_number;
        for (int d = 0; res == RES_OK && d < 5; d++)
            if (registered || d == 0 || d == 1 || d == 4)
                res = add_line(c, ids, (int)org, d, place_line[place][d]);
    }
    static const struct {
        int org, domain, person;
    } others[] = {
        {53, 1, 1},  {53, 2, 2},  {53, 4, 1},  /* the alliance, to the ICB */
        {54, 2, 2},  {54, 4, 1},               /* the university */
        {55, 0, 8},  {55, 4, 29},              /* the housing association */
        {56, 0, 27}, {56, 4, 26},              /* the football foundation */
        {57, 0, 36}, {57, 4, 32},              /* the libraries mutual */
        {58, 0, 8},  {58, 1, 29}, {58, 4, 29}, /* the leisure trust */
    };
    for (size_t i = 0; res == RES_OK && i < sizeof others / sizeof others[0]; i++)
        res = add_line(c, ids, others[i].org, others[i].domain, others[i].person);
    return res;
}

/* Information sharing agreements and their parties. */
static result load_sharing(struct ctx *c, const struct ids *ids)
{
    for (size_t i = 0; i < sizeof sharing / sizeof sharing[0]; i++) {
        const struct demo_sharing *d = &sharing[i];
        long long parties[8];
        int n = 0;
        for (int k = 0; k < 8 && d->parties[k] != NONE; k++)
            parties[n++] = ORG(d->parties[k]);
        rec *r = rec_new(c->a);
        rec_set_text(r, "title", d->title);
        rec_set_ids(r, "party_ids", parties, n);
        rec_set_text(r, "purpose", d->purpose);
        rec_set_text(r, "lawful_basis", d->lawful_basis);
        rec_set_text(r, "data_categories", d->data_categories);
        rec_set_text(r, "start_date", day(c, d->start));
        rec_set_text(r, "review_date", day(c, d->review));
        result res = add(c, &entity_sharing_agreements, r, NULL);
        if (res != RES_OK) return res;
    }
    return RES_OK;
}

/* See demo_leadership.h. Each step stops at the first record that fails. */
result demo_load_leadership(struct ctx *c)
{
    struct ids ids;
    long long strategy_ids[NSTRATEGIES] = {0};
    long long prio[NSTRATEGIES][MAX_PRIORITIES] = {{0}};
    result r = load_ids(c, &ids);
    if (r == RES_OK) r = load_champions(c, &ids);
    if (r == RES_OK) r = load_connections(c, &ids);
    if (r == RES_OK) r = load_resources(c, &ids);
    if (r == RES_OK) r = load_strategies(c, &ids, strategy_ids, prio);
    if (r == RES_OK) r = load_alignments(c, prio);
    if (r == RES_OK) r = load_actions(c, &ids, prio);
    if (r == RES_OK) r = load_coproduction(c, strategy_ids);
    if (r == RES_OK) r = load_policies(c, &ids);
    if (r == RES_OK) r = load_accountability(c, &ids);
    if (r == RES_OK) r = load_sharing(c, &ids);
    return r;
}
