"""Fixed reference lists the demo data draws from: geography, names, catalogue, sectors."""

from __future__ import annotations

# region, department code, department, commune, postal code, weight, is_urban
COMMUNES: tuple[tuple[str, str, str, str, str, float, bool], ...] = (
    ("Île-de-France", "75", "Paris", "Paris", "75011", 9.0, True),
    ("Île-de-France", "75", "Paris", "Paris", "75015", 8.0, True),
    ("Île-de-France", "92", "Hauts-de-Seine", "Boulogne-Billancourt", "92100", 3.0, True),
    ("Île-de-France", "92", "Hauts-de-Seine", "Nanterre", "92000", 2.5, True),
    ("Île-de-France", "93", "Seine-Saint-Denis", "Saint-Denis", "93200", 2.5, True),
    ("Île-de-France", "93", "Seine-Saint-Denis", "Montreuil", "93100", 2.5, True),
    ("Île-de-France", "78", "Yvelines", "Versailles", "78000", 2.0, True),
    ("Île-de-France", "77", "Seine-et-Marne", "Provins", "77160", 1.0, False),
    ("Auvergne-Rhône-Alpes", "69", "Rhône", "Lyon", "69003", 5.0, True),
    ("Auvergne-Rhône-Alpes", "69", "Rhône", "Villeurbanne", "69100", 2.0, True),
    ("Auvergne-Rhône-Alpes", "38", "Isère", "Grenoble", "38000", 2.0, True),
    ("Auvergne-Rhône-Alpes", "63", "Puy-de-Dôme", "Clermont-Ferrand", "63000", 1.8, True),
    ("Auvergne-Rhône-Alpes", "74", "Haute-Savoie", "Annecy", "74000", 1.5, True),
    ("Auvergne-Rhône-Alpes", "07", "Ardèche", "Annonay", "07100", 1.0, False),
    ("Provence-Alpes-Côte d'Azur", "13", "Bouches-du-Rhône", "Marseille", "13001", 5.0, True),
    ("Provence-Alpes-Côte d'Azur", "13", "Bouches-du-Rhône", "Aix-en-Provence", "13100", 2.0, True),
    ("Provence-Alpes-Côte d'Azur", "06", "Alpes-Maritimes", "Nice", "06000", 3.0, True),
    ("Provence-Alpes-Côte d'Azur", "06", "Alpes-Maritimes", "Cannes", "06400", 1.2, True),
    ("Provence-Alpes-Côte d'Azur", "83", "Var", "Toulon", "83000", 1.8, True),
    ("Provence-Alpes-Côte d'Azur", "04", "Alpes-de-Haute-Provence", "Manosque", "04100", 0.8, False),
    ("Occitanie", "31", "Haute-Garonne", "Toulouse", "31000", 4.0, True),
    ("Occitanie", "34", "Hérault", "Montpellier", "34000", 2.8, True),
    ("Occitanie", "30", "Gard", "Nîmes", "30000", 1.5, True),
    ("Occitanie", "46", "Lot", "Figeac", "46100", 0.7, False),
    ("Nouvelle-Aquitaine", "33", "Gironde", "Bordeaux", "33000", 3.5, True),
    ("Nouvelle-Aquitaine", "33", "Gironde", "Mérignac", "33700", 1.2, True),
    ("Nouvelle-Aquitaine", "33", "Gironde", "Saint-Émilion", "33330", 0.5, False),
    ("Nouvelle-Aquitaine", "64", "Pyrénées-Atlantiques", "Pau", "64000", 1.2, True),
    ("Nouvelle-Aquitaine", "87", "Haute-Vienne", "Limoges", "87000", 1.2, True),
    ("Hauts-de-France", "59", "Nord", "Lille", "59000", 3.5, True),
    ("Hauts-de-France", "59", "Nord", "Roubaix", "59100", 1.5, True),
    ("Hauts-de-France", "62", "Pas-de-Calais", "Arras", "62000", 1.0, True),
    ("Hauts-de-France", "80", "Somme", "Amiens", "80000", 1.3, True),
    ("Hauts-de-France", "02", "Aisne", "Laon", "02000", 0.8, False),
    ("Grand Est", "67", "Bas-Rhin", "Strasbourg", "67000", 2.8, True),
    ("Grand Est", "57", "Moselle", "Metz", "57000", 1.3, True),
    ("Grand Est", "51", "Marne", "Reims", "51100", 1.5, True),
    ("Grand Est", "88", "Vosges", "Épinal", "88000", 0.8, False),
    ("Pays de la Loire", "44", "Loire-Atlantique", "Nantes", "44000", 3.0, True),
    ("Pays de la Loire", "44", "Loire-Atlantique", "Saint-Nazaire", "44600", 1.0, True),
    ("Pays de la Loire", "49", "Maine-et-Loire", "Angers", "49000", 1.5, True),
    ("Pays de la Loire", "85", "Vendée", "Les Herbiers", "85500", 0.7, False),
    ("Bretagne", "35", "Ille-et-Vilaine", "Rennes", "35000", 2.2, True),
    ("Bretagne", "35", "Ille-et-Vilaine", "Vitré", "35500", 0.6, False),
    ("Bretagne", "29", "Finistère", "Brest", "29200", 1.4, True),
    ("Bretagne", "29", "Finistère", "Quimper", "29000", 0.9, False),
    ("Normandie", "76", "Seine-Maritime", "Rouen", "76000", 1.7, True),
    ("Normandie", "76", "Seine-Maritime", "Le Havre", "76600", 1.6, True),
    ("Normandie", "14", "Calvados", "Caen", "14000", 1.3, True),
    ("Normandie", "50", "Manche", "Saint-Lô", "50000", 0.6, False),
    ("Bourgogne-Franche-Comté", "21", "Côte-d'Or", "Dijon", "21000", 1.5, True),
    ("Bourgogne-Franche-Comté", "25", "Doubs", "Besançon", "25000", 1.3, True),
    ("Bourgogne-Franche-Comté", "71", "Saône-et-Loire", "Cluny", "71250", 0.5, False),
    ("Centre-Val de Loire", "37", "Indre-et-Loire", "Tours", "37000", 1.4, True),
    ("Centre-Val de Loire", "45", "Loiret", "Orléans", "45000", 1.3, True),
    ("Centre-Val de Loire", "41", "Loir-et-Cher", "Vendôme", "41100", 0.6, False),
    ("Corse", "2A", "Corse-du-Sud", "Ajaccio", "20000", 0.7, True),
)

FEMALE_FIRST_NAMES = (
    "Marie", "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Laura",
    "Claire", "Anne", "Sophie", "Nathalie", "Isabelle", "Sandrine", "Céline", "Pauline", "Lucie", "Zoé",
)
MALE_FIRST_NAMES = (
    "Thomas", "Nicolas", "Julien", "Maxime", "Antoine", "Hugo", "Lucas", "Louis", "Pierre", "Alexandre",
    "Philippe", "Michel", "Olivier", "Laurent", "Stéphane", "David", "Éric", "Paul", "Arthur", "Jules",
)
LAST_NAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
    "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
)
EMAIL_DOMAINS = ("gmail.com", "orange.fr", "free.fr", "hotmail.fr", "yahoo.fr", "laposte.net", "outlook.com")

# education levels, from lowest; income bands, from lowest
EDUCATION_LEVELS = ("no diploma", "secondary", "baccalaureate", "bachelor", "master", "doctorate")
INCOME_BANDS = ("<15k", "15-25k", "25-35k", "35-50k", "50-75k", "75k+")

# socio-professional category (INSEE-style CSP), occupation, education floor, income centre
CSP: tuple[tuple[str, str, int, int], ...] = (
    ("farmers", "farmer", 0, 1),
    ("craftsmen, shopkeepers, business owners", "shopkeeper", 1, 3),
    ("executives and higher intellectual professions", "engineer", 3, 4),
    ("intermediate professions", "technician", 2, 3),
    ("employees", "administrative employee", 1, 2),
    ("workers", "factory worker", 0, 1),
    ("students", "student", 2, 0),
)
RETIRED_CSP = ("retired", "retired")
UNEMPLOYED_CSP = ("unemployed", "job seeker")

INDUSTRY_SECTORS = (
    "retail", "hospitality", "healthcare", "construction", "manufacturing",
    "education", "public sector", "professional services", "technology", "transport",
)

# category: (subcategories, median price, price spread)
CATEGORIES: dict[str, tuple[tuple[str, ...], float, float]] = {
    "womenswear": (("dresses", "tops", "trousers", "coats"), 45.0, 0.6),
    "menswear": (("shirts", "trousers", "knitwear", "jackets"), 42.0, 0.6),
    "shoes": (("sneakers", "boots", "sandals"), 70.0, 0.5),
    "accessories": (("bags", "belts", "jewellery"), 30.0, 0.8),
    "home": (("decor", "kitchen", "bedding"), 35.0, 0.9),
    "beauty": (("skincare", "fragrance", "makeup"), 25.0, 0.7),
    "sport": (("running", "outdoor", "fitness"), 55.0, 0.7),
    "kids": (("toys", "clothing", "school"), 20.0, 0.6),
}
BRANDS = ("Maison Aube", "Rivage", "Nordet", "Clairval", "Atelier 9", "Sillon", "Cimes", "Petit Pas")
COLLECTIONS = ("permanent", "spring-summer", "autumn-winter", "holiday", "capsule")
PAYMENT_METHODS = ("card", "paypal", "cash", "bank transfer", "cheque")
