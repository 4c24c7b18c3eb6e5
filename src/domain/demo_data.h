/*
 * demo_data.h: a fictional Integrated Care System (places, neighbourhoods,
 * organisations and people) held as static tables, for seeding demo and test
 * stores. Nothing in it describes a real body or person; see demo_data.c.
 *
 * Cross-references are array indices: demo_neighbourhood.place and
 * demo_org.places index demo_places, demo_person.org indexes demo_orgs.
 * demo_orgs[0] is the Integrated Care Board.
 */
#ifndef CHIS_DEMO_DATA_H
#define CHIS_DEMO_DATA_H

#include <stddef.h>

struct demo_place {
    const char *name;
    const char *code;
    const char *description;
};

struct demo_neighbourhood {
    int place; /* index into demo_places */
    const char *name;
    const char *code;
    long population;
    int imd_decile;
};

struct demo_org {
    const char *name;
    const char *sector; /* "nhs","local_authority","vcse","other" */
    const char *ods_code, *charity_number, *company_number; /* NULL when none */
    const char *email, *phone, *website, *address, *postcode;
    int places[6]; /* indices into demo_places, terminated by -1 */
};

struct demo_person {
    int org; /* index into demo_orgs */
    const char *name, *job_title, *email, *phone;
};

extern const char *const demo_system_name;
extern const struct demo_place demo_places[];
extern const size_t demo_places_len;
extern const struct demo_neighbourhood demo_neighbourhoods[];
extern const size_t demo_neighbourhoods_len;
extern const struct demo_org demo_orgs[];
extern const size_t demo_orgs_len;
extern const struct demo_person demo_people[];
extern const size_t demo_people_len;

#endif
