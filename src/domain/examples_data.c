/*
 * examples_data.c: the illustrative examples shipped with chis.
 *
 * Each is an original summary, written for chis in its own words, of a
 * publicly known initiative: what it is, what it illustrates, and what
 * other systems can take from it. They are kept factual and modest, and
 * each ends by saying so. examples_ensure() (examples.c) adds any that a
 * database lacks, found by slug, so the slugs must never change.
 *
 * The bodies are Markdown (one paragraph or list item per line), rendered
 * safely by web/markdown.c.
 */
#include "domain/examples.h"

const struct shipped_example shipped_examples[] = {
    /* Champions who facilitate networks (leadership). */
    {
        .slug = "kirklees-creative-health-partnership",
        .title = "Champions facilitating networks: Kirklees Creative Health Partnership",
        .system_name = "West Yorkshire Health and Care Partnership",
        .place_name = "Kirklees",
        .illustrates = "leadership: champions; networks",
        .body_markdown =
            "## What it is\n"
            "\n"
            "Kirklees is one of the five places that make up the West Yorkshire Health and Care "
            "Partnership: a borough of towns and villages that includes Huddersfield, Dewsbury "
            "and Batley. Its Creative Health Partnership brings together people from the "
            "council, the NHS, the voluntary and community sector and local cultural "
            "organisations who share an interest in how creative activity supports health and "
            "wellbeing.\n"
            "\n"
            "West Yorkshire has treated creative health as a shared commitment across the whole "
            "system. It was one of the systems that worked with the National Centre for Creative "
            "Health on creative health hubs, and its partners have since set out an ambition to "
            "become a \"creative health system\". The Kirklees partnership is one local, "
            "place-level expression of that commitment.\n"
            "\n"
            "## How champions make the network work\n"
            "\n"
            "The partnership's approach rests on champions rather than on one central team. A "
            "champion is someone who already holds a role in the system (in public health, "
            "general practice, a cultural service or a community group) and who agrees to carry "
            "creative health into the meetings and networks they already belong to.\n"
            "\n"
            "Champions in a partnership like this typically:\n"
            "\n"
            "- convene regular network meetings that are open to practitioners, commissioners "
            "and community groups alike;\n"
            "- pass information both ways: funding, training and system priorities out to "
            "providers, and providers' learning and capacity back into planning;\n"
            "- introduce people who would not otherwise meet, such as a social prescribing link "
            "worker and a local arts group;\n"
            "- keep a shared picture of who is doing what, where, and where the gaps are.\n"
            "\n"
            "## What other systems can take from it\n"
            "\n"
            "- **Give champions a home.** A recognised partnership gives champions somewhere to "
            "report to, and stops the work depending on one person's goodwill.\n"
            "- **Build the network one introduction at a time.** Much of the value lies in "
            "connections between organisations that did not work together before.\n"
            "- **Spread champions across sectors and levels.** Champions in the NHS, the council "
            "and the community see further together than any one organisation does.\n"
            "\n"
            "### Questions for your system\n"
            "\n"
            "1. Who champions creative health in each of your places and neighbourhoods, and who "
            "supports them?\n"
            "2. Which organisations are connected only informally, or not at all?\n"
            "\n"
            "*Written for chis in its own words from publicly available information. "
            "Arrangements change: check the current position with the partnership before relying "
            "on the details.*\n",
    },
    /* Developing a strategy that creative health lives inside (strategy). */
    {
        .slug = "snee-personalised-care-strategy",
        .title = "Strategy development: Suffolk and North East Essex Personalised Care Strategy",
        .system_name = "Suffolk and North East Essex Integrated Care System",
        .place_name = NULL,
        .illustrates =
            "strategy: strategy development; alignment with other strategies; co-production",
        .body_markdown =
            "## What it is\n"
            "\n"
            "Suffolk and North East Essex (SNEE) is an integrated care system serving around a "
            "million people across Suffolk and the north-east of Essex. Much of its work is "
            "organised through three local alliances: Ipswich and East Suffolk, West Suffolk, "
            "and North East Essex. Its partners describe the system as an equal partnership of "
            "the NHS, local government and the voluntary, community, faith and social enterprise "
            "sector.\n"
            "\n"
            "Rather than begin with a stand-alone creative health strategy, the system gave "
            "creative health a place inside its strategy for personalised care: the approach "
            "through which people have choice and control over the way their care is planned and "
            "delivered, based on what matters to them.\n"
            "\n"
            "## Why personalised care is a natural home\n"
            "\n"
            "NHS England's comprehensive model of personalised care has several parts where "
            "creative health fits without strain:\n"
            "\n"
            "- **social prescribing**, in which link workers connect people to community "
            "activity, including arts, culture, heritage and nature;\n"
            "- **personalised care and support planning**, which starts from what matters to the "
            "person rather than from a diagnosis;\n"
            "- **supported self-management**, where regular creative activity can help people "
            "live well with long-term conditions;\n"
            "- **shared decision making** and **personal health budgets**, which widen the "
            "choices on offer.\n"
            "\n"
            "The system's wider plans also count creative activity among the things that make up "
            "a healthy life.\n"
            "\n"
            "## What the approach illustrates\n"
            "\n"
            "1. **Start from commitments the system already owns.** Tying creative health to "
            "agreed priorities such as prevention, personalised care and reducing health "
            "inequalities gives it a mandate, and a place in the plans that budgets follow.\n"
            "2. **Involve people with lived experience and providers early**, so that the "
            "strategy reflects what people value and what the local voluntary sector can "
            "realistically deliver.\n"
            "3. **Name the links.** Each creative health ambition should say which wider "
            "priority it serves, so that progress can be reported against both, and gaps are "
            "visible.\n"
            "\n"
            "## What other systems can take from it\n"
            "\n"
            "- A creative health strategy is often strongest when it is stitched into strategies "
            "the system already has.\n"
            "- Keep a record of which priorities in other strategies your creative health work "
            "supports, and which it does not reach yet.\n"
            "\n"
            "*Written for chis in its own words from publicly available information. Strategies "
            "are revised: check the system's current documents before relying on the details.*\n",
    },
    /* A provider organisation's governance (governance). */
    {
        .slug = "noise-solution-provider-governance",
        .title = "Provider organisation governance: Noise Solution",
        .system_name = "Suffolk and North East Essex Integrated Care System",
        .place_name = "Suffolk",
        .illustrates =
            "governance: provider policies; safeguarding; data sharing; evidence of impact",
        .body_markdown =
            "## What it is\n"
            "\n"
            "Noise Solution is a Suffolk organisation, started in Bury St Edmunds in 2009, that "
            "offers one-to-one music mentoring to young people facing difficult circumstances, "
            "for example those struggling with their mental health or disengaged from education. "
            "Each young person is paired with a professional musician, and together they make "
            "the music the young person cares about, often with digital music technology.\n"
            "\n"
            "Progress is captured as the sessions go. Recordings and reflections are shared "
            "through a private online space with people the young person chooses, such as family "
            "members and the professionals who support them. The organisation's practice draws "
            "on self-determination theory, which links wellbeing to a sense of autonomy, "
            "competence and relatedness. It has worked alongside NHS mental health services for "
            "young people, as well as education and local authority partners.\n"
            "\n"
            "## Why its governance matters\n"
            "\n"
            "A small provider that works one to one with young people, sometimes in their homes, "
            "and holds recordings and personal stories about them, has to be trusted before "
            "anyone will refer to it. Work of this kind shows what good provider governance "
            "covers:\n"
            "\n"
            "- **Safeguarding** that fits the work: lone working with young people, clear routes "
            "for raising a concern, and checks on everyone who mentors.\n"
            "- **Data protection** designed in from the start: consent for what is shared, "
            "control over who can see it, and care with personal information held online.\n"
            "- **Quality**: trained and supervised practitioners working in a consistent, "
            "described way.\n"
            "- **Evidence**: routine measurement of wellbeing with a validated scale, and "
            "published impact reports that include independent evaluation.\n"
            "\n"
            "## What other systems can take from it\n"
            "\n"
            "1. **Governance is part of the offer.** Commissioners and link workers look for "
            "current, approved policies before they refer anyone.\n"
            "2. **Keep policies in date.** A safeguarding or data policy past its review date "
            "can stop referrals as surely as a missing one.\n"
            "3. **Make accountability clear.** A concern about a provider should reach someone, "
            "in the provider and beyond it, who can act on it.\n"
            "\n"
            "### Questions for your system\n"
            "\n"
            "- Can you see, for each creative health provider, which policies are current and "
            "which are due for review?\n"
            "- Does each provider know whom to tell, outside its own organisation, when "
            "something goes wrong?\n"
            "\n"
            "*Written for chis in its own words from publicly available information. "
            "Organisations change: check with Noise Solution before relying on the details.*\n",
    },
};

const size_t shipped_examples_len = sizeof shipped_examples / sizeof shipped_examples[0];
