// teiten::synth source geography — where the generator gets its countries'
// networks and the ground truth its sources' places: the geolocation
// database teiten-report reads by default (common/geo: the IPFire database
// of Debian's libloc-database, through libloc).
//
// The networks of a country are those the report's lookups place in it
// (LibLocDatabase::networks_of); the truth still looks every drawn address
// up rather than trusting the country it was drawn for.
#pragma once

#include "common/geo/libloc_database.h"
#include "common/geo/locator.h"
#include "daemon/synth/country_networks.h"
#include "daemon/synth/profile.h"
#include "daemon/synth/report_truth.h"

namespace teiten::synth {

/// The networks of every country the profile's populations name, in the
/// families its sensors can receive. Throws config::ConfigErrors located at
/// each code iso-codes does not list as a country (the report would show
/// it as ZZ) and each country without IPv4 networks; geo::GeoError when
/// the database or iso-codes cannot be read.
CountryNetworks profile_networks(const Profile& profile, const geo::LibLocDatabase& database);

/// The report's default lookup, as the ground truth asks it.
PlaceLookup place_lookup(const geo::Locator& locator);

}  // namespace teiten::synth
