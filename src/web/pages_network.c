/*
 * pages_network.c: GET /network?place_id=&at=, the network of organisations
 * on a date (domain/network.h): a form to choose the place and date, a
 * drawing of the network, and the same facts as tables, which are the text
 * alternative to the drawing.
 *
 * The drawing is SVG written on the server, laid out the same way every
 * time for the same network: a force-directed layout (Fruchterman and
 * Reingold 1991) run for a fixed number of steps from the organisations
 * placed round a circle by sector. Colours are the Okabe-Ito palette, which
 * stays distinct for the common kinds of colour blindness, with a dark
 * outline for contrast. The page's Content-Security-Policy forbids style
 * attributes, so the SVG uses presentation attributes (fill, stroke).
 */
#include "web/web.h"

#include "base/text.h"
#include "domain/network.h"
#include "domain/structure.h"
#include "web/layout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DRAW_MAX 300       /* more organisations than this are not drawn */
#define TABLE_MAX 500      /* rows of the organisations table */
#define MEMBERS_SHOWN 30   /* names listed per connected group */
#define ISOLATED_SHOWN 200 /* names listed of organisations with no ties */
#define SVG_W 800
#define SVG_H 560
#define SVG_LEGEND 40 /* height of the legend band at the top */

/* Sector colours (Okabe-Ito), in organisation_sectors order, then unknown. */
static const char *const sector_fill[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#999999"};

/* The colour of a sector by name. */
static const char *fill_of(const char *sector)
{
    for (int i = 0; i < 4 && organisation_sectors[i]; i++)
        if (strcmp(sector, organisation_sectors[i]) == 0) return sector_fill[i];
    return sector_fill[4];
}

/* The sector's place in organisation_sectors (4 when unknown), for ordering. */
static int sector_rank(const char *sector)
{
    for (int i = 0; i < 4 && organisation_sectors[i]; i++)
        if (strcmp(sector, organisation_sectors[i]) == 0) return i;
    return 4;
}

/*
 * The few bits of arithmetic the drawing needs, written here because the
 * binary does not link the maths library: they need not be fast or exact
 * to the last bit, only the same every time.
 */

/* The square root of v (0 for v <= 0): a first guess from the exponent, then Newton. */
static double root(double v)
{
    if (!(v > 0.0)) return 0.0;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits = (bits >> 1) + (1023ULL << 51);
    double r;
    memcpy(&r, &bits, sizeof r);
    for (int i = 0; i < 5; i++)
        r = 0.5 * (r + v / r);
    return r;
}

/* sin and cos of t in [0, 2 pi], by their series (enough terms for that range). */
static void sin_cos(double t, double *s, double *c)
{
    double term = t, sum_s = 0.0, sum_c = 0.0, cterm = 1.0;
    for (int k = 0; k < 30; k++) {
        sum_s += term;
        sum_c += cterm;
        term *= -t * t / ((2.0 * k + 2) * (2.0 * k + 3));
        cterm *= -t * t / ((2.0 * k + 1) * (2.0 * k + 2));
    }
    *s = sum_s;
    *c = sum_c;
}

/* v rounded to the nearest whole number (v >= 0: coordinates). */
static int whole(double v)
{
    return (int)(v + 0.5);
}

/* A node's radius: grows with the square root of its degree, 4 to 14. */
static double radius_of(int degree)
{
    double r = 4.0 + 2.0 * root((double)degree);
    return r > 14.0 ? 14.0 : r;
}

/* ---- layout ---- */

/*
 * Fruchterman-Reingold on one connected group: the m vertices in idx
 * (ascending), ties among them in net->ties, positions written to x, y
 * (indexed by vertex) within about the unit square. Starts from a circle
 * with the sectors as arcs; a fixed number of steps with a cooling step
 * size. Deterministic: no randomness anywhere. slot maps a vertex to its
 * position in idx (scratch, n entries, -1 outside the group).
 */
static void layout_group(const struct network *net, const int *idx, int m, const int *slot,
                         double *x, double *y, double *dx, double *dy)
{
    const double pi = 3.14159265358979323846;
    int j = 0;
    for (int sr = 0; sr <= 4; sr++) /* round the circle sector by sector */
        for (int i = 0; i < m; i++)
            if (sector_rank(net->orgs[idx[i]].sector) == sr)
                sin_cos(2.0 * pi * j++ / m, &y[idx[i]], &x[idx[i]]);
    double k = 1.6 / root((double)m); /* the ideal distance between neighbours */
    int steps = m <= 100 ? 200 : m <= 200 ? 120 : 80;
    double temp = 0.2;
    for (int step = 0; step < steps; step++) {
        for (int i = 0; i < m; i++) {
            dx[idx[i]] = -0.02 * x[idx[i]]; /* a little pull to the middle */
            dy[idx[i]] = -0.02 * y[idx[i]];
        }
        for (int i = 0; i < m; i++)
            for (int q = i + 1; q < m; q++) {
                int u = idx[i], v = idx[q];
                double ex = x[u] - x[v], ey = y[u] - y[v];
                double d2 = ex * ex + ey * ey;
                if (d2 < 1e-9) { /* on top of each other: part them the same way each time */
                    ex = 1e-3 * ((i - q) % 7 + 1);
                    ey = 1e-3 * ((i + q) % 5 + 1);
                    d2 = ex * ex + ey * ey;
                }
                double f = k * k / d2; /* repulsion k^2/d along the unit vector */
                dx[u] += ex * f;
                dy[u] += ey * f;
                dx[v] -= ex * f;
                dy[v] -= ey * f;
            }
        for (int t = 0; t < net->nties; t++) {
            int u = net->ties[t].a, v = net->ties[t].b;
            if (slot[u] < 0 || slot[v] < 0) continue;
            double ex = x[u] - x[v], ey = y[u] - y[v];
            double f = root(ex * ex + ey * ey) / k; /* attraction d^2/k along the unit vector */
            dx[u] -= ex * f;
            dy[u] -= ey * f;
            dx[v] += ex * f;
            dy[v] += ey * f;
        }
        for (int i = 0; i < m; i++) {
            int u = idx[i];
            double len = root(dx[u] * dx[u] + dy[u] * dy[u]);
            if (len > temp) {
                dx[u] *= temp / len;
                dy[u] *= temp / len;
            }
            x[u] += dx[u];
            y[u] += dy[u];
        }
        temp = temp * 0.97 < 0.002 ? 0.002 : temp * 0.97;
    }
}

/*
 * Positions for the network's organisations inside the drawing (x[i],
 * y[i], arena-owned). Each connected group is laid out on its own, then the
 * groups are packed in rows, largest first, each in a square cell whose
 * side grows with the square root of its size; the organisations with no
 * ties come last, one small cell each. The whole is scaled to fit below the
 * legend.
 */
static void layout(arena *a, const struct network *net, double **xo, double **yo)
{
    int n = net->norgs;
    size_t nn = (size_t)(n ? n : 1);
    double *x = arena_alloc(a, sizeof(double) * nn), *y = arena_alloc(a, sizeof(double) * nn);
    double *dx = arena_alloc(a, sizeof(double) * nn), *dy = arena_alloc(a, sizeof(double) * nn);
    int *slot = arena_alloc_raw(a, sizeof(int) * nn), *idx = arena_alloc_raw(a, sizeof(int) * nn);
    *xo = x;
    *yo = y;
    if (n == 0) return;
    for (int i = 0; i < n; i++)
        slot[i] = -1;
    /* Groups by size, largest first (stable: by smallest id among equals), then the rest. */
    int ngroups = net->ncomponents + net->nisolated;
    int *order = arena_alloc_raw(a, sizeof(int) * (size_t)(ngroups ? ngroups : 1));
    for (int g = 0; g < ngroups; g++)
        order[g] = g;
    for (int g = 1; g < net->ncomponents; g++) { /* insertion sort: few groups */
        int t = order[g], h = g;
        for (; h > 0 && net->components[order[h - 1]].n < net->components[t].n; h--)
            order[h] = order[h - 1];
        order[h] = t;
    }
    double avail_w = SVG_W - 36.0, avail_h = SVG_H - SVG_LEGEND - 36.0;
    double *cell_x = arena_alloc_raw(a, sizeof(double) * (size_t)(ngroups ? ngroups : 1));
    double *cell_y = arena_alloc_raw(a, sizeof(double) * (size_t)(ngroups ? ngroups : 1));
    double *cell_s = arena_alloc_raw(a, sizeof(double) * (size_t)(ngroups ? ngroups : 1));
    for (int g = 0; g < ngroups; g++)
        cell_s[g] =
            order[g] < net->ncomponents ? root((double)net->components[order[g]].n) * 1.2 : 1.0;
    /* Rows as wide as the first k cells, for the k that lets the drawing be largest. */
    double best_w = 0.0, best_scale = -1.0, lead = 0.0;
    for (int k = 0; k < ngroups; k++) {
        lead += cell_s[k];
        double cx = 0.0, cy = 0.0, row_h = 0.0, width = 0.0;
        for (int g = 0; g < ngroups; g++) {
            if (cx > 0.0 && cx + cell_s[g] > lead + 1e-9) {
                cy += row_h;
                cx = row_h = 0.0;
            }
            cx += cell_s[g];
            row_h = cell_s[g] > row_h ? cell_s[g] : row_h;
            width = cx > width ? cx : width;
        }
        double sc =
            avail_w / width < avail_h / (cy + row_h) ? avail_w / width : avail_h / (cy + row_h);
        if (sc > best_scale) {
            best_scale = sc;
            best_w = lead;
        }
    }
    double cx = 0.0, cy = 0.0, row_h = 0.0, width = 0.0;
    for (int g = 0; g < ngroups; g++) {
        if (cx > 0.0 && cx + cell_s[g] > best_w + 1e-9) {
            cy += row_h;
            cx = row_h = 0.0;
        }
        cell_x[g] = cx;
        cell_y[g] = cy;
        cx += cell_s[g];
        row_h = cell_s[g] > row_h ? cell_s[g] : row_h;
        width = cx > width ? cx : width;
    }
    double height = cy + row_h;
    double scale = avail_w / width < avail_h / height ? avail_w / width : avail_h / height;
    double left = 18.0 + (avail_w - width * scale) / 2.0, top = SVG_LEGEND + 18.0;
    for (int g = 0; g < ngroups; g++) {
        int c = order[g];
        double ox = left + cell_x[g] * scale, oy = top + cell_y[g] * scale;
        double side = cell_s[g] * scale;
        if (c >= net->ncomponents) { /* an organisation with no ties: the middle of its cell */
            int v = -1;
            long long id = net->isolated[c - net->ncomponents];
            for (int lo = 0, hi = n - 1; lo <= hi;) {
                int mid = lo + (hi - lo) / 2;
                if (net->orgs[mid].id == id) {
                    v = mid;
                    break;
                }
                if (net->orgs[mid].id < id)
                    lo = mid + 1;
                else
                    hi = mid - 1;
            }
            if (v >= 0) {
                x[v] = ox + side / 2.0;
                y[v] = oy + side / 2.0;
            }
            continue;
        }
        const struct network_component *comp = &net->components[c];
        int m = 0;
        for (int i = 0; i < comp->n; i++) { /* ids to vertices: both ascending */
            while (m < n && net->orgs[m].id < comp->ids[i])
                m++;
            idx[i] = m;
            slot[m] = i;
        }
        layout_group(net, idx, comp->n, slot, x, y, dx, dy);
        double minx = x[idx[0]], maxx = minx, miny = y[idx[0]], maxy = miny;
        for (int i = 1; i < comp->n; i++) {
            double px = x[idx[i]], py = y[idx[i]];
            minx = px < minx ? px : minx;
            maxx = px > maxx ? px : maxx;
            miny = py < miny ? py : miny;
            maxy = py > maxy ? py : maxy;
        }
        double span = maxx - minx > maxy - miny ? maxx - minx : maxy - miny;
        double pad = side * 0.12, inner = side - 2 * pad;
        double f = span > 1e-9 ? inner / span : 0.0;
        for (int i = 0; i < comp->n; i++) {
            int v = idx[i];
            x[v] = ox + pad + (x[v] - minx) * f + (inner - (maxx - minx) * f) / 2.0;
            y[v] = oy + pad + (y[v] - miny) * f + (inner - (maxy - miny) * f) / 2.0;
            slot[v] = -1;
        }
    }
}

/* ---- the page ---- */

/* A number with d decimals, in arena a. */
static const char *decimal(arena *a, double v, int d)
{
    return arena_printf(a, "%.*f", d, v);
}

/* "26 November 2026" for "2026-11-26" (a valid date), in arena a. */
static const char *long_date(arena *a, const char *iso)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8);
    if (m < 1 || m > 12) return iso;
    return arena_printf(a, "%d %s %d", d, months[m - 1], y);
}

/* The legend: one swatch and name per sector present. */
static void svg_legend(buf *b, const struct network *net)
{
    bool present[5] = {false};
    for (int i = 0; i < net->norgs; i++)
        present[sector_rank(net->orgs[i].sector)] = true;
    int x = 12;
    for (int s = 0; s < 5; s++) {
        if (!present[s]) continue;
        const char *name = s < 4 ? ui_choice_text(b->a, organisation_sectors[s]) : "Other";
        H(b,
          "<circle cx=\"%d\" cy=\"20\" r=\"7\" fill=\"%s\" stroke=\"#212b32\" stroke-width=\"1\"/>"
          "<text x=\"%d\" y=\"25\" font-size=\"15\" fill=\"#212b32\">%s</text>",
          x + 7, sector_fill[s], x + 20, name);
        x += 30 + 15 * (int)strlen(name) / 2;
    }
}

/* The drawing: ties as lines under the organisations as circles, each with its name as a title. */
static void svg_network(struct req *r, buf *b, const struct network *net)
{
    double *x, *y;
    layout(r->a, net, &x, &y);
    H(b,
      "<svg class=\"chis-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
      " width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
      SVG_W, SVG_H, SVG_W, SVG_H,
      arena_printf(r->a,
                   "Diagram of the network: %d organisations as circles, coloured by sector"
                   " and sized by their number of ties, and %d ties as lines. The tables"
                   " below give the same facts.",
                   net->norgs, net->nties));
    svg_legend(b, net);
    H(b, "<g stroke=\"#768692\" stroke-width=\"1.5\" stroke-opacity=\"0.7\">");
    for (int t = 0; t < net->nties; t++) {
        int i = net->ties[t].a, j = net->ties[t].b;
        H(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", whole(x[i]), whole(y[i]),
          whole(x[j]), whole(y[j]));
    }
    H(b, "</g><g stroke=\"#212b32\" stroke-width=\"1\">");
    for (int i = 0; i < net->norgs; i++) {
        const struct network_org *o = &net->orgs[i];
        H(b,
          "<circle cx=\"%d\" cy=\"%d\" r=\"%s\" fill=\"%s\"><title>%s (%s, %d %s)</title>"
          "</circle>",
          whole(x[i]), whole(y[i]), decimal(r->a, radius_of(o->degree), 1), fill_of(o->sector),
          o->name, ui_choice_text(r->a, o->sector), o->degree, o->degree == 1 ? "tie" : "ties");
    }
    H(b, "</g></svg>");
}

/* For the organisations table: most central first, then most ties, then by name. */
static int by_centrality(const void *pa, const void *pb)
{
    const struct network_org *a = *(const struct network_org *const *)pa;
    const struct network_org *b = *(const struct network_org *const *)pb;
    if (a->betweenness != b->betweenness) return a->betweenness > b->betweenness ? -1 : 1;
    if (a->degree != b->degree) return b->degree - a->degree;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* The name of organisation id in the network (NULL if it is not in it). */
static const char *org_name(const struct network *net, long long id)
{
    int lo = 0, hi = net->norgs - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (net->orgs[mid].id == id) return net->orgs[mid].name;
        if (net->orgs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* A link to an organisation's page by its name. */
static void org_link(buf *b, const struct network *net, long long id)
{
    const char *name = org_name(net, id);
    H(b, "<a class=\"nhsuk-link\" href=\"/organisations/%lld\">%s</a>", id,
      name ? name : arena_printf(b->a, "Organisation %lld", id));
}

/* The table of organisations and their measures, most central first. */
static void org_table(struct req *r, buf *b, const struct network *net)
{
    arena *a = r->a;
    const struct network_org **rows =
        arena_alloc(a, sizeof *rows * (size_t)(net->norgs ? net->norgs : 1));
    for (int i = 0; i < net->norgs; i++)
        rows[i] = &net->orgs[i];
    qsort(rows, (size_t)net->norgs, sizeof *rows, by_centrality);
    int shown = net->norgs < TABLE_MAX ? net->norgs : TABLE_MAX;
    H(b, "<h2 id=\"organisations\">Organisations</h2>");
    H(b, "<p>Ties are the other organisations each is connected to. Betweenness counts how"
         " often an organisation lies on the shortest paths between two others: the higher"
         " it is, the more the network relies on it to link people up.</p>");
    if (shown < net->norgs)
        H(b, "<p>Showing the %d most central of %d organisations.</p>", shown, net->norgs);
    H(b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
         "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Organisations by"
         " betweenness, highest first</caption>"
         "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Organisation</th>"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Sector</th>"
         "<th class=\"nhsuk-table__header chis-num\" scope=\"col\">Ties</th>"
         "<th class=\"nhsuk-table__header chis-num\" scope=\"col\">Cross-sector ties</th>"
         "<th class=\"nhsuk-table__header chis-num\" scope=\"col\">Betweenness</th>"
         "</tr></thead><tbody class=\"nhsuk-table__body\">");
    for (int i = 0; i < shown; i++) {
        const struct network_org *o = rows[i];
        H(b, "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">");
        org_link(b, net, o->id);
        H(b,
          "</td><td class=\"nhsuk-table__cell\">%s</td>"
          "<td class=\"nhsuk-table__cell chis-num\">%d</td>"
          "<td class=\"nhsuk-table__cell chis-num\">%d</td>"
          "<td class=\"nhsuk-table__cell chis-num\">%s</td></tr>",
          ui_choice_text(a, o->sector), o->degree, o->cross_sector_ties,
          decimal(a, o->betweenness, 2));
    }
    H(b, "</tbody></table></div>");
}

/* The connected groups, and the organisations with no ties. */
static void group_tables(struct req *r, buf *b, const struct network *net)
{
    H(b, "<h2 id=\"groups\">Connected groups</h2>");
    if (net->ncomponents == 0) {
        H(b, "<p>No two organisations are tied.</p>");
    } else {
        H(b, "<p>Organisations tied to each other directly or through others. %s</p>",
          net->ncomponents == 1 ? "There is one group."
                                : arena_printf(r->a, "There are %d groups.", net->ncomponents));
        H(b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
             "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Connected"
             " groups</caption>"
             "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
             "<th class=\"nhsuk-table__header chis-num\" scope=\"col\">Group</th>"
             "<th class=\"nhsuk-table__header chis-num\" scope=\"col\">Organisations</th>"
             "<th class=\"nhsuk-table__header\" scope=\"col\">Members</th>"
             "</tr></thead><tbody class=\"nhsuk-table__body\">");
        for (int k = 0; k < net->ncomponents; k++) {
            const struct network_component *g = &net->components[k];
            H(b,
              "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell chis-num\">%d</td>"
              "<td class=\"nhsuk-table__cell chis-num\">%d</td>"
              "<td class=\"nhsuk-table__cell\">",
              k + 1, g->n);
            int shown = g->n < MEMBERS_SHOWN ? g->n : MEMBERS_SHOWN;
            for (int i = 0; i < shown; i++) {
                if (i) H(b, ", ");
                org_link(b, net, g->ids[i]);
            }
            if (shown < g->n) H(b, " and %d more", g->n - shown);
            H(b, "</td></tr>");
        }
        H(b, "</tbody></table></div>");
    }
    H(b, "<h2 id=\"isolated\">Organisations with no ties</h2>");
    if (net->nisolated == 0) {
        H(b, "<p>Every organisation is tied to at least one other.</p>");
        return;
    }
    H(b, "<ul class=\"nhsuk-list nhsuk-list--bullet\">");
    int shown = net->nisolated < ISOLATED_SHOWN ? net->nisolated : ISOLATED_SHOWN;
    for (int i = 0; i < shown; i++) {
        H(b, "<li>");
        org_link(b, net, net->isolated[i]);
        H(b, "</li>");
    }
    H(b, "</ul>");
    if (shown < net->nisolated) H(b, "<p>And %d more.</p>", net->nisolated - shown);
}

/* Each place's density and cross-sector share. */
static void place_table(struct req *r, buf *b, const struct network *net)
{
    arena *a = r->a;
    H(b, "<h2 id=\"places\">Places</h2>");
    if (net->nplaces == 0) {
        H(b, "<p>There are no places yet.</p>");
        return;
    }
    H(b, "<p>Among the organisations serving each place: density is the share of all possible"
         " ties between them that exist; cross-sector share is the share of their ties that"
         " join different sectors.</p>");
    H(b, "<div class=\"chis-table-wrap\"><table class=\"nhsuk-table\">"
         "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">Places</caption>"
         "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
         "<th class=\"nhsuk-table__header\" scope=\"col\">Place</th>"
         "<th class=\"nhsuk-table__header chis-num\" scope=\"col\">Organisations</th>"
         "<th class=\"nhsuk-table__header chis-num\" scope=\"col\">Ties</th>"
         "<th class=\"nhsuk-table__header chis-num\" scope=\"col\">Density</th>"
         "<th class=\"nhsuk-table__header chis-num\" scope=\"col\">Cross-sector share</th>"
         "</tr></thead><tbody class=\"nhsuk-table__body\">");
    for (int i = 0; i < net->nplaces; i++) {
        const struct network_place *p = &net->places[i];
        H(b,
          "<tr class=\"nhsuk-table__row\"><td class=\"nhsuk-table__cell\">"
          "<a class=\"nhsuk-link\" href=\"/places/%lld\">%s</a></td>"
          "<td class=\"nhsuk-table__cell chis-num\">%d</td>"
          "<td class=\"nhsuk-table__cell chis-num\">%d</td>"
          "<td class=\"nhsuk-table__cell chis-num\">%s</td>"
          "<td class=\"nhsuk-table__cell chis-num\">%s%%</td></tr>",
          p->place_id, p->name, p->organisations, p->ties, decimal(a, p->density, 3),
          decimal(a, 100.0 * p->cross_sector_share, 0));
    }
    H(b, "</tbody></table></div>");
}

/*
 * The form: a place (or all of them) and a date. The places are the first
 * page of the most a list allows; place is the one chosen.
 */
static void choose_form(struct req *r, buf *b, const struct form_errors *fe, const char *place,
                        const char *at)
{
    arena *a = r->a;
    struct list_query q = {.page = 1, .per_page = LIST_MAX_PER_PAGE};
    struct store_page pg = {0};
    struct ctx saved = r->ctx;
    ctx_clear_errors(&r->ctx);
    if (entity_list(&r->ctx, &entity_places, &q, &pg) != RES_OK) pg.nrows = 0;
    r->ctx = saved;
    struct ui_option *opts = arena_alloc(a, sizeof *opts * (size_t)(pg.nrows + 2));
    int n = 0;
    bool found = false;
    opts[n++] = (struct ui_option){"", "All places", !place || !*place};
    for (int i = 0; i < pg.nrows; i++) {
        const char *id = arena_printf(a, "%lld", rec_int(pg.rows[i], "id", 0));
        bool sel = place && strcmp(place, id) == 0;
        found = found || sel;
        opts[n++] = (struct ui_option){id, rec_text(pg.rows[i], "name"), sel};
    }
    if (place && *place && !found) opts[n++] = (struct ui_option){place, place, true};
    H(b, "<form method=\"get\" action=\"/network\" novalidate><div class=\"nhsuk-grid-row\">"
         "<div class=\"nhsuk-grid-column-one-third\">");
    struct ui_field f = {"place_id", "place", NULL, form_error_for(fe, "place_id"), place};
    ui_select(b, &f, opts, n);
    H(b, "</div><div class=\"nhsuk-grid-column-one-third\">");
    f = (struct ui_field){"at", "date", "The connections active on this day count",
                          form_error_for(fe, "at"), at};
    ui_input(b, &f, "date", "off", NULL, "nhsuk-input--width-10", false);
    H(b, "</div></div><button class=\"nhsuk-button nhsuk-button--secondary\""
         " data-module=\"nhsuk-button\" type=\"submit\">Show the network</button></form>");
}

/*
 * GET /network: the form, and for a good place and date the drawing and
 * tables. 400 with an error summary for a bad place or date, 404 for a
 * place that does not exist.
 */
static void page_network(struct req *r)
{
    arena *a = r->a;
    const char *ps = req_query(r, "place_id"), *at = req_query(r, "at");
    long long place = 0;
    struct network net;
    result res;
    if (ps && *ps && !(place = text_id(ps))) {
        ctx_field_error(&r->ctx, "place_id", "Choose a place from the list");
        res = RES_INVALID;
    } else {
        res = network_analyse(&r->ctx, place, at, &net);
    }
    if (res != RES_OK && res != RES_INVALID) {
        page_for_result(r, res);
        return;
    }
    struct form_errors fe = {0};
    if (res == RES_INVALID) fe = form_errors_take(r);
    buf b;
    buf_init(&b, a, 16384);
    H(&b, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-full\">");
    ui_error_summary(&b, &fe);
    H(&b, "<h1>Network</h1><p class=\"nhsuk-body-l\">How organisations are tied together by"
          " the connections active on a day, and who holds the network together.</p>");
    choose_form(r, &b, &fe, ps, at && *at ? at : (res == RES_OK ? net.at : NULL));
    if (res == RES_OK) {
        const char *where = place && net.nplaces == 1 ? net.places[0].name : NULL;
        if (where)
            H(&b, "<h2>%s on %s</h2>", where, long_date(a, net.at));
        else
            H(&b, "<h2>The whole system on %s</h2>", long_date(a, net.at));
        H(&b, "<p>%d organisations, %d ties, %d connected %s and %d with no ties.</p>", net.norgs,
          net.nties, net.ncomponents, net.ncomponents == 1 ? "group" : "groups", net.nisolated);
        if (net.norgs == 0)
            H(&b, "<p>There are no organisations here yet.</p>");
        else if (net.norgs <= DRAW_MAX)
            svg_network(r, &b, &net);
        else
            H(&b,
              "<p>The network is too large to draw well (more than %d organisations):"
              " choose a place, or read the tables below.</p>",
              DRAW_MAX);
        org_table(r, &b, &net);
        group_tables(r, &b, &net);
        place_table(r, &b, &net);
    }
    H(&b, "</div></div>");
    struct html_frag main = html_frag_of(&b);
    layout_page(r, res == RES_OK ? 200 : 400, "Network", "/network", &main);
}

const struct route web_network_routes[] = {
    {"GET", "/network", page_network, 0, NULL},
};
const size_t web_network_routes_len = sizeof web_network_routes / sizeof web_network_routes[0];
