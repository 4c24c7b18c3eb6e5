/*
 * report_svg.c: the outcomes report's charts as SVG (see report_svg.h).
 *
 * Every chart is rows of horizontal bars: a label on the left, the bar, and
 * its value in words on the right, so that long labels never collide and
 * each value is readable without the bar. Text goes through H(), which
 * escapes it for XML as for HTML. Coordinates are whole pixels.
 */
#include "api/report_svg.h"

#include "base/html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const report_charts[] = {"status", "swemwbs", "uptake", NULL};

#define W 720   /* width */
#define X0 200  /* where bars start */
#define X1 520  /* where the widest bar ends */
#define XT 530  /* where value text starts */
#define TOP 48  /* the first row's top */
#define ROW 30  /* one row's height */
#define BAR 18  /* one bar's height */
#define AXIS 36 /* room under the rows for the axis */
#define BLUE "#005eb8"
#define INK "#212b32"
#define GREY "#4c6272"

/* One row of a chart: what the bar shows. */
struct bar {
    const char *label;
    bool suppressed;
    double value, lo, hi; /* lo/hi: the interval, when has_ci */
    bool has_ci;
    const char *text; /* the value in words */
};

/* Returns x formatted with the decimals given, in a ("-0.0" written as "0.0"). */
static const char *num(arena *a, double x, int decimals)
{
    if (fabs(x) < 0.5 * pow(10, -decimals)) x = 0;
    return arena_printf(a, "%.*f", decimals, x);
}

/* Returns a change with its sign, e.g. "+2.0", in a. */
static const char *signed_num(arena *a, double x)
{
    const char *s = num(a, x, 1);
    return x >= 0.05 ? arena_printf(a, "+%s", s) : s;
}

/* Returns the scope and dates in words, e.g. "Place North, 2025-11-27 to 2026-11-26". */
static const char *scope_words(arena *a, const struct outcome_report *rep)
{
    if (rep->scope == SCOPE_SYSTEM)
        return arena_printf(a, "The whole system, %s to %s", rep->from, rep->to);
    return arena_printf(a, "%c%s: %s, %s to %s", rep->scope_type[0] - 'a' + 'A',
                        rep->scope_type + 1, rep->scope_name ? rep->scope_name : "", rep->from,
                        rep->to);
}

/* Maps value v on the scale lo..hi to an x between X0 and X1. */
static int xpos(double v, double lo, double hi)
{
    return X0 + (int)lround((v - lo) / (hi - lo) * (X1 - X0));
}

/*
 * Writes the chart: its title and description, one row per bar on the
 * scale lo..hi (with a zero line when 0 is inside it), and the axis
 * labels under it.
 */
static void draw(buf *b, const char *title, const char *scope, const struct bar *bars, int n,
                 double lo, double hi, const char *lo_text, const char *hi_text)
{
    arena *a = b->a;
    int height = TOP + n * ROW + AXIS;
    buf desc;
    buf_init(&desc, a, 512);
    buf_printf(&desc, "%s. %s.", title, scope);
    for (int i = 0; i < n; i++)
        buf_printf(&desc, " %s: %s.", bars[i].label, bars[i].text);
    H(b,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
      " viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"chart-title chart-desc\""
      " font-family=\"Frutiger W01, Arial, sans-serif\" font-size=\"14\">"
      "<title id=\"chart-title\">%s</title><desc id=\"chart-desc\">%s</desc>"
      "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>"
      "<text x=\"8\" y=\"22\" font-size=\"16\" font-weight=\"bold\" fill=\"" INK "\">%s</text>"
      "<text x=\"8\" y=\"40\" font-size=\"12\" fill=\"" GREY "\">%s</text>",
      W, height, W, height, title, desc.data, W, height, title, scope);
    int zero = lo < 0 && hi > 0 ? xpos(0, lo, hi) : xpos(lo, lo, hi);
    for (int i = 0; i < n; i++) {
        const struct bar *r = &bars[i];
        int top = TOP + i * ROW, mid = top + ROW / 2;
        H(b,
          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" dominant-baseline=\"middle\""
          " fill=\"" INK "\">%s</text>",
          X0 - 8, mid, r->label);
        if (!r->suppressed) {
            int x = xpos(r->value, lo, hi);
            int left = x < zero ? x : zero, width = abs(x - zero);
            H(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"" BLUE "\"/>", left,
              mid - BAR / 2, width > 0 ? width : 1, BAR);
            if (r->has_ci) {
                int l = xpos(r->lo, lo, hi), h = xpos(r->hi, lo, hi);
                H(b,
                  "<g stroke=\"" INK "\" stroke-width=\"2\">"
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>",
                  l, mid, h, mid, l, mid - 6, l, mid + 6, h, mid - 6, h, mid + 6);
            }
        }
        H(b, "<text x=\"%d\" y=\"%d\" dominant-baseline=\"middle\" fill=\"%s\">%s</text>", XT, mid,
          r->suppressed ? GREY : INK, r->text);
    }
    int bottom = TOP + n * ROW;
    H(b,
      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" GREY "\"/>"
      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" GREY "\"/>"
      "<text x=\"%d\" y=\"%d\" text-anchor=\"start\" font-size=\"12\" fill=\"" GREY "\">%s</text>"
      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\" fill=\"" GREY "\">%s</text>",
      X0, bottom + 4, X1, bottom + 4, zero, TOP - 2, zero, bottom + 4, X0, bottom + 20, lo_text, X1,
      bottom + 20, hi_text);
    if (lo < 0 && hi > 0)
        H(b,
          "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"" GREY
          "\">0</text>",
          zero, bottom + 20);
    H(b, "</svg>\n");
}

/* The status chart: referrals in each state for the whole scope. */
static void chart_status(buf *b, const struct outcome_report *rep)
{
    arena *a = b->a;
    static const char *const labels[REFERRAL_NSTATUS] = {"Draft",     "Sent",        "Accepted",
                                                         "Declined",  "Waitlisted",  "Started",
                                                         "Completed", "Dropped out", "Cancelled"};
    struct bar bars[REFERRAL_NSTATUS];
    double top = 1;
    for (int s = 0; s < REFERRAL_NSTATUS; s++) {
        const struct report_value *v = &rep->status[s];
        bars[s] = (struct bar){labels[s],
                               v->suppressed,
                               v->value,
                               0,
                               0,
                               false,
                               v->suppressed ? "fewer than 5"
                                             : arena_printf(a, "%lld", (long long)v->value)};
        if (!v->suppressed && v->value > top) top = v->value;
    }
    draw(b, "Referrals by status", scope_words(a, rep), bars, REFERRAL_NSTATUS, 0, top, "0",
         arena_printf(a, "%lld", (long long)top));
}

/* Fills bars with figure f of the whole scope and each IMD quintile; returns how many. */
static int imd_bars(arena *a, const struct outcome_report *rep, enum report_figure f,
                    struct bar *bars)
{
    const struct report_breakdown *imd = &rep->breakdowns[0];
    int n = 0;
    bars[n++] = (struct bar){.label = "All", .suppressed = rep->total.fig[f].suppressed};
    for (int i = 0; i < imd->ncells; i++)
        bars[n++] = (struct bar){.label = arena_printf(a, "IMD %s", imd->cells[i].label),
                                 .suppressed = imd->cells[i].fig[f].suppressed};
    for (int i = 0; i < n; i++) {
        const struct report_value *v = i == 0 ? &rep->total.fig[f] : &imd->cells[i - 1].fig[f];
        bars[i].value = v->value;
        bars[i].has_ci = !v->suppressed && v->has_ci;
        bars[i].lo = v->ci_low;
        bars[i].hi = v->ci_high;
    }
    return n;
}

/* The uptake chart: started or later out of those sent, overall and by IMD quintile. */
static void chart_uptake(buf *b, const struct outcome_report *rep)
{
    arena *a = b->a;
    struct bar bars[16];
    int n = imd_bars(a, rep, RF_UPTAKE, bars);
    for (int i = 0; i < n; i++) {
        bars[i].value *= 100;
        bars[i].text =
            bars[i].suppressed ? "fewer than 5" : arena_printf(a, "%s%%", num(a, bars[i].value, 0));
    }
    draw(b, "Uptake by IMD quintile (started or later, of those sent)", scope_words(a, rep), bars,
         n, 0, 100, "0%", "100%");
}

/* The SWEMWBS chart: mean paired change with 95% intervals, overall and by IMD quintile. */
static void chart_swemwbs(buf *b, const struct outcome_report *rep)
{
    arena *a = b->a;
    struct bar bars[16];
    int n = imd_bars(a, rep, RF_SWEMWBS, bars);
    double lo = 0, hi = 0;
    for (int i = 0; i < n; i++) {
        if (bars[i].suppressed) {
            bars[i].text = "fewer than 5 pairs";
            continue;
        }
        double l = bars[i].has_ci ? bars[i].lo : bars[i].value;
        double h = bars[i].has_ci ? bars[i].hi : bars[i].value;
        lo = fmin(lo, l);
        hi = fmax(hi, h);
        bars[i].text = bars[i].has_ci
                           ? arena_printf(a, "%s (%s to %s)", signed_num(a, bars[i].value),
                                          num(a, bars[i].lo, 1), num(a, bars[i].hi, 1))
                           : signed_num(a, bars[i].value);
    }
    /* Whole points either side, at least one, so the zero line is always inside. */
    lo = floor(lo) - 1;
    hi = ceil(hi) + 1;
    draw(b, "SWEMWBS mean change by IMD quintile, with 95% confidence intervals",
         scope_words(a, rep), bars, n, lo, hi, num(a, lo, 0), num(a, hi, 0));
}

/* See report_svg.h. */
bool report_svg(buf *b, const struct outcome_report *rep, const char *chart)
{
    if (!chart) return false;
    if (strcmp(chart, "status") == 0)
        chart_status(b, rep);
    else if (strcmp(chart, "swemwbs") == 0)
        chart_swemwbs(b, rep);
    else if (strcmp(chart, "uptake") == 0)
        chart_uptake(b, rep);
    else
        return false;
    return true;
}
