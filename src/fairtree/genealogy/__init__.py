"""genealogy"""
