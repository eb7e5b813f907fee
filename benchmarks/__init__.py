"""``make bench``: our dashboard against the straightforward folium build, side by side."""
