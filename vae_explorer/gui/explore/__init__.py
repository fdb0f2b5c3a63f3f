"""The Explore area: one panel per file, each a view of one `LatentPlane`, composed by `view.ExploreView`."""
